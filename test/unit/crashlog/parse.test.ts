import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

describe.skipIf(!fixturesAvailable())('crash log parsers on real logs', () => {
  it('reads every Buffout 4 log header and exception', () => {
    const dir = real('crashlogs', 'buffout4-fo4');
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) {
      const p = parseCrashLog(readFileSync(`${dir}/${f}`), f);
      expect(p.logger).toBe('buffout4');
      expect(p.loggerVersion).toMatch(/^\d/);
      expect(p.exception?.address).toMatch(/^0x/);
    }
  });
  it('recognises NetScriptFramework logs', () => {
    const dir = real('crashlogs', 'skyrim-nsf-nolvus');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      const p = parseCrashLog(readFileSync(`${dir}/${f}`), f);
      expect(p.logger).toBe('netscriptframework');
      expect(p.exception?.address).toMatch(/^0x/);
    }
  });
});

describe('crash log decoding (synthetic: no real UTF-16 log exists)', () => {
  it('decodes UTF-16LE with BOM and flags a truncated log', () => {
    const text =
      'Fallout 4 v1.10.163\r\nBuffout 4 v1.28.6\r\n\r\nUnhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FF600001234 Fallout4.exe+0001234\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const p = parseCrashLog(buf, 'x.log');
    expect(p.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      module: 'Fallout4.exe',
      offset: '0001234',
    });
    expect(p.problems.join()).toMatch(/call stack/);
  });
});
