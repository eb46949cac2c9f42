import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { CliIo } from '../../../src/main/cli/types';
import { deadlockDoc } from './wct-fixtures';

// Synthetic WCT (see wct-fixtures.ts for why no real file exists).
const dir = mkdtempSync(join(tmpdir(), 'ctd-hangcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, cwd: dir };
}

describe('CLI hang / capture', () => {
  it('hang --json explains a WCT file with its deadlock (exit 1: a finding)', async () => {
    writeFileSync(join(dir, 'SkyrimDiag_WCT_20260315_130000_001.json'), JSON.stringify(deadlockDoc()));
    const x = io();
    expect(
      await runCli(['hang', 'SkyrimDiag_WCT_20260315_130000_001.json', '--main-tid', '5120', '--json'], x),
    ).toBe(1);
    expect(x.stdout).toHaveLength(1);
    const hang = JSON.parse(x.stdout[0] ?? '{}') as { verdict: string; cycles: { tids: number[] }[] };
    expect(hang.verdict).toMatch(/main thread 5120/i);
    expect(hang.cycles[0]?.tids.sort()).toEqual([5120, 6312]);
  });

  it('hang on a broken file exits 2', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"pid": 1, "threads": [');
    const x = io();
    expect(await runCli(['hang', 'bad.json'], x)).toBe(2);
    expect(x.stderr.join('\n')).toMatch(/not valid JSON/);
  });

  it('capture off Windows exits 2 with "Capture needs Windows"', async () => {
    const x = io();
    expect(await runCli(['capture', '--pid', '1', '--json'], x)).toBe(2);
    expect(JSON.parse(x.stdout[0] ?? '{}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Capture needs Windows/),
    });
  });
});
