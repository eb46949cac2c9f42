import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../src/main/cli/commands/index';
import { runCli } from '../../../src/main/cli/run';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { deadlockDoc } from '../hang/wct-fixtures';

/**
 * The CLI's surface: help for every command, sysexits-style exit codes, messages in words.
 * The WCT file is SYNTHETIC (test/unit/hang/wct-fixtures.ts); dumps are real fixtures.
 */
const dir = mkdtempSync(join(tmpdir(), 'ctd-cli-surface-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...argv: string[]) => {
  const io = captureIo();
  io.cwd = dir;
  const code = await runCli(argv, io);
  return { code, out: io.outText, err: io.errText };
};

describe('ctd-workbench --help', () => {
  it('the overview lists every command and the exit codes', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.out).toContain(`  ${c.name} `);
    expect(r.out).toMatch(/0 ok, 1 findings.*2 bad input.*64 usage error/s);
  });

  it.each(commands.map((c) => c.name))('%s --help: usage, examples and exit codes', async (name) => {
    const r = await run(name, '--help');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^usage: ctd-workbench ${name} `));
    expect(r.out).toMatch(/\nExamples:\n {2}ctd-workbench /);
    expect(r.out).toMatch(/\nExit codes:\n(.|\n)* 64 {2}usage error/);
  });

  it('the overview and an unknown command load no command module (summaries are in the table)', async () => {
    const loads = commands.map((c) => c.load);
    try {
      for (const c of commands) c.load = () => Promise.reject(new Error(`${c.name} loaded for the overview`));
      const r = await run('--help');
      expect(r.code).toBe(0);
      for (const c of commands) expect(r.out).toContain(`  ${c.name.padEnd(9)}  ${c.summary}\n`);
      const unknown = await run('nosuchcommand');
      expect(unknown.code).toBe(64);
      expect(unknown.err).toMatch(/^unknown command: nosuchcommand\n\nctd-workbench: triage/);
    } finally {
      commands.forEach((c, i) => (c.load = loads[i]!));
    }
  });

  it('no command prints the overview on stderr and exits 64', async () => {
    const r = await run();
    expect(r.code).toBe(64);
    expect(r.out).toBe('');
    expect(r.err).toContain('Commands:');
  });
});

describe('exit codes and messages', () => {
  it('usage errors exit 64 and name the problem', async () => {
    expect((await run('nosuchcommand')).code).toBe(64);
    const unknown = await run('hang', 'x.json', '--bogus');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/^hang: unknown option --bogus\nusage: ctd-workbench hang /);
    const noValue = await run('list', '--limit');
    expect(noValue.code).toBe(64);
    expect(noValue.err).toMatch(/--limit needs a value/);
    expect((await run('analyze')).code).toBe(64);
    expect((await run('hang', 'x.json', '--main-tid', 'main')).code).toBe(64);
  });

  it('a bad list flag is a usage error before any index is opened or made', async () => {
    const data = join(dir, 'list-flags');
    for (const [flags, said] of [
      [['--limit', '0'], /--limit must be a positive integer/],
      [['--kind', 'crashy'], /--kind/],
      [['--status', 'done'], /--status/],
    ] as const) {
      const r = await run('list', ...flags, '--data-dir', data);
      expect(r.code, flags.join(' ')).toBe(64);
      expect(r.err).toMatch(said);
    }
    expect(existsSync(data)).toBe(false);
  });

  it('a missing file is said in words (no raw ENOENT) and exits 2', async () => {
    for (const argv of [
      ['hang', 'missing-wct.json'],
      ['analyze', 'missing.dmp'],
      ['etw', 'missing.etl'],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^error: .*missing[^:]*: no such file or folder\n$/);
      expect(r.err).not.toMatch(/ENOENT|internal error/);
    }
  });

  it('hang prints one line per fact, and exits 1 for a deadlock', async () => {
    writeFileSync(join(dir, 'SkyrimDiag_WCT_20260315_130000_001.json'), JSON.stringify(deadlockDoc()));
    const r = await run('hang', 'SkyrimDiag_WCT_20260315_130000_001.json', '--main-tid', '5120');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/main thread 5120/i);
    expect(lines[1]).toMatch(/^signature: /);
    expect(r.out).toMatch(/^deadlock: \d+ -> \d+/m);
    expect(r.out).toMatch(/^ {2}\*5120/m);
    expect(r.out.endsWith('\n')).toBe(true);
    expect(lines.length).toBeGreaterThan(4);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('analyze on a damaged dump', () => {
  it('prints what it read, the damage in words on stderr (no JSON), exit 2', async () => {
    const r = await run('analyze', real('minidumps', 'invalid-range.dmp'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^problem: the dump is damaged; what could be read is shown\n/);
    expect(r.err).toMatch(/^ {2}\S+ at offset 0x[0-9a-f]+: .*past the end of the file/m);
    expect(r.err).not.toMatch(/[{}"]/);
  });
});
