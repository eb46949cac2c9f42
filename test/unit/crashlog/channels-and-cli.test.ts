import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../../src/main/cli/commands/analyze';
import { runCli } from '../../../src/main/cli/run';
import { dispatch } from '../../../src/main/dispatch';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type { CrashLogAnalysis, CrashLogRules } from '../../../src/shared/domain/crashlog';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';

const io = captureIo;

const userRule = {
  format: 'ctd-workbench-rules',
  version: 1,
  name: 'My rules',
  rules: [
    {
      id: 'my-sup-f4se',
      game: 'fallout4',
      severity: 'high',
      title: 'SUP F4SE crashed again',
      explanation: 'My own note about this plugin.',
      fix: 'Update SUP F4SE.',
      match: { faultingModule: { name: 'SUP_F4SE.dll' } },
    },
  ],
};

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'crash logs through the composition root, the index and the CLI',
  () => {
    let dir: string;
    let wb: Workbench;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ctd-crashlog-'));
      mkdirSync(join(dir, 'logs'));
      // Temp copies (the walker skips symlinks), removed after the test; never in the repo.
      for (const f of ['crash-2023-12-21-07-54-46.log', 'crash-2024-07-11-00-35-13.log'])
        copyFileSync(real('crashlogs', 'buffout4-fo4', f), join(dir, 'logs', f));
      copyFileSync(
        real('crashlogs', 'skyrim-nsf-nolvus', 'ShadowSceneNode1.txt'),
        join(dir, 'logs', 'Crash_2024_4_12_18-50-46.txt'),
      );
      // Synthetic re-encoding of a real log: UTF-16 BE without BOM must still be recognised at scan time.
      const text = readFileSync(real('crashlogs', 'buffout4-fo4', 'crash-2024-05-29-11-34-45.log'), 'utf8');
      writeFileSync(join(dir, 'logs', 'crash-2024-05-29-11-34-45.log'), iconv.encode(text, 'utf16be'));
      wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
      await wb.ctx.sources.addFolder(join(dir, 'logs'));
      await wb.idle();
    });
    afterAll(async () => {
      await wb.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const incidentFor = (name: string) => {
      const items = wb.ctx.store.list({ offset: 0, limit: 50 }).items;
      return items.map((i) => wb.ctx.store.get(i.id)!).find((d) => d.artifacts.some((a) => a.name === name))!;
    };

    it('findings are stored with the incident verdict (rule id, severity, evidence)', () => {
      const ba2 = incidentFor('crash-2024-07-11-00-35-13.log');
      expect(ba2.verdict?.analyzer).toBe('crashlog:buffout4');
      expect(ba2.verdict?.findings[0]).toMatchObject({ id: 'fo4-ba2-limit', severity: 'critical' });
      expect(ba2.verdict?.findings[0]?.evidence[0]).toMatch(/LooseFileAsyncStream/);
      expect(ba2.title).toMatch(/· Too many archives \(BA2 limit\)$/);
      const ssn = incidentFor('Crash_2024_4_12_18-50-46.txt');
      expect(ssn.verdict?.findings.map((f) => f.id)).toContain('skyrim-shadow-scene-node');
      expect(ssn.verdict?.game).toBe('Skyrim SE 1.5.97');
    });

    it('a UTF-16 BE log without BOM is found by the scan and analysed', () => {
      const inc = incidentFor('crash-2024-05-29-11-34-45.log');
      expect(inc.kind).toBe('crash');
      expect(inc.verdict?.findings.map((f) => f.id)).toEqual([
        'fo4-null-pointer',
        'fo4-mesh',
        'fo4-south-of-the-sea',
        'fo4-homemaker-fences',
        'fo4-precombines',
        'fo4-lmcc-hair-colors',
        'fo4-nac-skin-tones',
        'fo4-aaf-source',
      ]);
    });

    it('crashlog:parsed serves the parsed log, findings and the decoded text by incident or artifact', async () => {
      const inc = incidentFor('crash-2023-12-21-07-54-46.log');
      const r = await dispatch(wb.handlers, 'crashlog:parsed', { incidentId: inc.id }, true);
      expect(r.ok).toBe(true);
      const res = (r as { res: { artifactId: number; analysis: CrashLogAnalysis; text: string } }).res;
      expect(res.analysis.parsed.exception?.module).toBe('SUP_F4SE.dll');
      expect(res.analysis.suspects[0]).toMatchObject({ name: 'SUP_F4SE.dll', hits: 5 });
      expect(res.text.startsWith('Fallout 4 v1.10.163')).toBe(true);
      const byArtifact = await dispatch(wb.handlers, 'crashlog:parsed', { artifactId: res.artifactId }, true);
      expect(byArtifact).toMatchObject({ ok: true, res: { artifactId: res.artifactId } });
      const bad = await dispatch(wb.handlers, 'crashlog:parsed', { artifactId: 999_999 }, true);
      expect(bad).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('user rule files in <data dir>/rules: off by default, remembered when turned on, shown with errors', async () => {
      const before = (await dispatch(wb.handlers, 'crashlog:rules', {}, true)) as { res: CrashLogRules };
      expect(before.res.userRulesEnabled).toBe(false);
      expect(before.res.sets.map((s) => s.origin)).toEqual(['bundled', 'bundled', 'bundled']);
      expect(before.res.sets.reduce((n, s) => n + s.rules, 0)).toBeGreaterThanOrEqual(30);
      const on = (await dispatch(wb.handlers, 'crashlog:setRules', { userRulesEnabled: true }, true)) as {
        res: CrashLogRules;
      };
      expect(on.res.userFolder).toBe(join(dir, 'data', 'rules'));
      writeFileSync(join(on.res.userFolder, 'mine.json'), JSON.stringify(userRule));
      writeFileSync(join(on.res.userFolder, 'broken.json'), '{"format": "ctd-workbench-rules", "version": 1');
      const inc = incidentFor('crash-2023-12-21-07-54-46.log');
      const r = (await dispatch(wb.handlers, 'crashlog:parsed', { incidentId: inc.id }, true)) as {
        res: { analysis: CrashLogAnalysis };
      };
      expect(r.res.analysis.findings[0]).toMatchObject({ id: 'my-sup-f4se', severity: 'high' });
      const listed = (await dispatch(wb.handlers, 'crashlog:rules', {}, true)) as { res: CrashLogRules };
      expect(
        listed.res.sets.filter((s) => s.origin === 'user').map((s) => [s.name, s.rules, !!s.error]),
      ).toEqual([
        ['broken.json', 0, true],
        ['My rules', 1, false],
      ]);
      // The setting survives a restart of the workbench on the same data dir.
      await wb.close();
      wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
      const again = (await dispatch(wb.handlers, 'crashlog:rules', {}, true)) as { res: CrashLogRules };
      expect(again.res.userRulesEnabled).toBe(true);
      await dispatch(wb.handlers, 'crashlog:setRules', { userRulesEnabled: false }, true);
    });

    it('show prints the findings', async () => {
      const inc = incidentFor('crash-2024-07-11-00-35-13.log');
      const o = io();
      const code = await runCli(['show', inc.id, '--data-dir', join(dir, 'data')], o);
      expect(code).toBe(0);
      expect(o.outText).toMatch(
        /findings:\n {2}\[critical\] Too many archives \(BA2 limit\) \(fo4-ba2-limit\)/,
      );
    });
  },
);

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('ctd-workbench analyze <crash log>', () => {
  it('--json gives parsed log, verdict, suspects and findings; exit 1 when known issues matched', async () => {
    const o = io();
    const code = await analyzeCommand.run(
      {
        positionals: [real('crashlogs', 'buffout4-fo4', 'crash-2024-01-30-11-15-15.log')],
        flags: { json: true },
      },
      o,
    );
    expect(code).toBe(1);
    const a = JSON.parse(o.outText) as CrashLogAnalysis;
    expect(a.verdict).toMatchObject({
      exceptionName: null,
      faultingModule: 'KERNELBASE.dll',
      faultingOffset: '0064D8C',
      logger: 'buffout4',
      loggerVersion: '1.28.6',
      game: 'Fallout 4',
      gameVersion: '1.10.163',
    });
    expect(a.parsed.callStack.length).toBe(15);
    expect(a.suspects[0]).toMatchObject({ name: 'po3_SpellPerkItemDistributorF4.dll', hits: 11 });
    expect(a.findings.map((f) => f.id)).toEqual([
      'fo4-vulkan-memory',
      'fo4-south-of-the-sea',
      'fo4-lmcc-hair-colors',
      'fo4-nac-skin-tones',
      'fo4-aaf-source',
    ]);
    expect(o.errText).toBe('');
  });

  it('text output names exception, suspects, findings and frames', async () => {
    const o = io();
    const code = await analyzeCommand.run(
      { positionals: [real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt')], flags: {} },
      o,
    );
    expect(code).toBe(1);
    expect(o.outText).toMatch(/^exception: unnamed at 0x7FFDDAACAE45 in JContainers64\.dll\+10AE45$/m);
    expect(o.outText).toMatch(/\[high\] JContainers crash \(skyrim-jcontainers\)/);
    expect(o.outText).toMatch(/^ {3}0 {2}JContainers64\.dll\+10AE45$/m);
  });

  it('exit 0 when no rule matched, 2 for a damaged log (still printed) and for something that is not a log', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ctd-cli-log-'));
    try {
      const quiet = join(tmp, 'quiet.log');
      writeFileSync(
        quiet,
        'Fallout 4 v1.10.163\nBuffout 4 v1.28.6\n\nUnhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FF600001234 Fallout4.exe+0001234\n\nPROBABLE CALL STACK:\n\t[ 0] 0x7FF600001234 Fallout4.exe+0001234\n\nMODULES:\n\tFallout4.exe 0x7FF600000000\n\nF4SE PLUGINS:\n\nPLUGINS:\n\t[00]     Fallout4.esm\n',
      );
      const o = io();
      expect(await analyzeCommand.run({ positionals: [quiet], flags: {} }, o)).toBe(0);
      expect(o.outText).toMatch(/findings: none/);

      const damaged = join(tmp, 'damaged.log');
      writeFileSync(damaged, 'Fallout 4 v1.10.163\nBuffout 4 v1.28.6\n\nPROBABLE CALL STACK:\n');
      const d = io();
      expect(await analyzeCommand.run({ positionals: [damaged], flags: { json: true } }, d)).toBe(2);
      expect(JSON.parse(d.outText)).toHaveProperty('parsed');
      // The damage in words on stderr, not JSON: stdout holds the one JSON document.
      expect(d.errText).toMatch(/^problem: the log is damaged/);
      expect(d.errText).not.toMatch(/[{}]/);

      const notes = join(tmp, 'notes.txt');
      writeFileSync(notes, 'hello\n');
      const n = io();
      expect(await analyzeCommand.run({ positionals: [notes], flags: {} }, n)).toBe(2);
      expect(n.errText).toMatch(/neither a minidump nor a recognised crash log/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--rules adds a rule folder for one run', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ctd-cli-rules-'));
    try {
      writeFileSync(join(tmp, 'mine.json'), JSON.stringify(userRule));
      const o = io();
      await analyzeCommand.run(
        {
          positionals: [real('crashlogs', 'buffout4-fo4', 'crash-2023-12-21-07-54-46.log')],
          flags: { json: true, rules: tmp },
        },
        o,
      );
      expect((JSON.parse(o.outText) as CrashLogAnalysis).findings[0]?.id).toBe('my-sup-f4se');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('dumps run the module rules too and keep their exit codes', async () => {
    const o = io();
    const code = await analyzeCommand.run(
      { positionals: [real('minidumps', 'ascii_write_av.dmp')], flags: { json: true } },
      o,
    );
    expect(code).toBe(0);
    expect(JSON.parse(o.outText)).toMatchObject({ findings: [] });
  });
});
