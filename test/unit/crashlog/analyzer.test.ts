import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogFile } from '../../../src/main/formats/crashlog/crashlog-analyzer';
import { fixturesAvailable, real } from '../../helpers/fixtures';

describe.skipIf(!fixturesAvailable())('crash-log analyzer verdicts on real Buffout 4 logs', () => {
  it('titles name the exception, faulting module and logger version', async () => {
    const dir = real('crashlogs', 'buffout4-fo4');
    const f = readdirSync(dir).find((x) => x === 'crash-2023-12-01-08-33-44.log');
    expect(f).toBeTruthy();
    const out = await analyzeCrashLogFile(`${dir}/${f}`);
    expect(out.verdict?.title).toBe('EXCEPTION_ACCESS_VIOLATION at d3d11.dll+0x010565D (Buffout 4 1.28.6)');
    expect(out.verdict?.faultingModule).toBe('d3d11.dll');
    expect(out.priority).toBeLessThan(100);
  });
});
