import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { papyrusText } from '../../helpers/papyrus-log';

/**
 * logs:* through the composition root with a real SQLite index: a SkyrimDiag crash (REAL
 * Breakpad dump under a SkyrimDiag name) plus the logs a game session leaves: a SYNTHETIC
 * Papyrus.0.log (test/helpers/papyrus-log.ts), skse64.log and SkyrimDiagHelper.log written here.
 */
const setTime = (p: string, iso: string) => utimesSync(p, new Date(iso), new Date(iso));

type Ok<T> = { ok: true; res: T };
async function call<T>(wb: Workbench, ch: string, req: unknown): Promise<T> {
  const r = await dispatch(wb.handlers, ch, req, true);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return (r as Ok<T>).res;
}

interface PatternsRes {
  total: number;
  items: {
    id: number;
    signature: string;
    severity: string;
    count: number;
    firstLine: number;
    example: string;
  }[];
  keptLines: { line: number; text: string }[] | null;
  source: string;
  summary: { lines: number; flavor: string };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('logs:* channels and the log-patterns analyzer', () => {
  let dir: string;
  let games: string;
  let wb: Workbench;
  let papyrusId: number;
  let papyrusPath: string;
  const papyrus = papyrusText(3000, { seed: 11, startMs: Date.UTC(2026, 2, 18, 19, 40) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-logs-'));
    games = join(dir, 'games');
    const sd = join(games, 'Tullius Ctd Logs');
    const skse = join(games, 'SKSE');
    const scripts = join(games, 'Logs', 'Script');
    for (const d of [sd, skse, scripts]) mkdirSync(d, { recursive: true });
    copyFileSync(real('minidumps', 'null_read_av.dmp'), join(sd, 'SkyrimDiag_Crash_20260318_200000_500.dmp'));
    papyrusPath = join(scripts, 'Papyrus.0.log');
    writeFileSync(papyrusPath, papyrus);
    setTime(papyrusPath, '2026-03-18T20:00:40');
    // skse64.log is written at game start, 25 minutes before the crash: the session rule.
    writeFileSync(
      join(skse, 'skse64.log'),
      "SKSE64 runtime: initialize (version = 2.0.20 01050610 01D9A6F1A9DB7C2B, os = 6.2 (9200))\r\nplugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\foo.dll (00000001 foo 00000001) loaded correctly\r\nplugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\bar.dll (00000001 bar 00000001) loaded correctly\r\ncouldn't load plugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\baz.dll (error 126)\r\n",
    );
    setTime(join(skse, 'skse64.log'), '2026-03-18T19:35:00');
    writeFileSync(
      join(sd, 'SkyrimDiagHelper.log'),
      'crash event signaled\r\nwriting dump SkyrimDiag_Crash_20260318_200000_500.dmp\r\n',
    );
    setTime(join(sd, 'SkyrimDiagHelper.log'), '2026-03-18T20:00:05');
    // Far from any capture: stays out of the index.
    writeFileSync(join(skse, 'skse64_loader.log'), 'loader started\r\n');
    setTime(join(skse, 'skse64_loader.log'), '2026-02-01T10:00:00');
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await wb.ctx.sources.addFolder(games);
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attaches Papyrus, SKSE and helper logs to the crash and stores their patterns', () => {
    const list = wb.ctx.store.list({ offset: 0, limit: 10 });
    expect(list.total).toBe(1);
    const inc = wb.ctx.store.get(list.items[0]!.id)!;
    const roles = Object.fromEntries(inc.artifacts.map((a) => [a.name, a.role]));
    expect(roles).toEqual({
      'SkyrimDiag_Crash_20260318_200000_500.dmp': 'dump',
      'Papyrus.0.log': 'papyrus',
      'skse64.log': 'log',
      'SkyrimDiagHelper.log': 'log',
    });
    for (const a of inc.artifacts.filter((x) => x.role !== 'dump')) {
      expect(a.parseStatus, a.name).toBe('ok');
      expect(wb.ctx.store.getFacts(a.id)?.analyzer).toBe('log-patterns');
    }
    papyrusId = inc.artifacts.find((a) => a.role === 'papyrus')!.id;
  });

  it('logs:patterns pages, sorts and filters by severity and text', async () => {
    const all = await call<PatternsRes>(wb, 'logs:patterns', { artifactId: papyrusId });
    expect(all.source).toBe('index');
    expect(all.summary).toMatchObject({ lines: 3000, flavor: 'papyrus' });
    expect(all.items.length).toBe(Math.min(all.total, 500));
    expect(all.keptLines!.length).toBeGreaterThan(0);
    const errors = await call<PatternsRes>(wb, 'logs:patterns', {
      artifactId: papyrusId,
      severity: ['error'],
    });
    expect(errors.items.every((p) => p.severity === 'error')).toBe(true);
    expect(errors.total).toBeLessThan(all.total);
    const page2 = await call<PatternsRes>(wb, 'logs:patterns', {
      artifactId: papyrusId,
      sort: 'count',
      offset: 2,
      limit: 3,
    });
    const top = await call<PatternsRes>(wb, 'logs:patterns', {
      artifactId: papyrusId,
      sort: 'count',
      limit: 5,
    });
    expect(page2.items.map((p) => p.id)).toEqual(top.items.slice(2, 5).map((p) => p.id));
    expect(page2.keptLines).toBeNull();
    const text = await call<PatternsRes>(wb, 'logs:patterns', {
      artifactId: papyrusId,
      text: 'GETACTORBASE',
    });
    expect(text.total).toBeGreaterThan(0);
    expect(text.items.every((p) => /getactorbase/i.test(p.signature + p.example))).toBe(true);
  });

  it('logs:raw returns the lines asked for, from the file', async () => {
    const lines = papyrus.split('\r\n');
    const w = await call<{
      fromLine: number;
      toLine: number;
      text: string;
      totalLines: number;
      eof: boolean;
    }>(wb, 'logs:raw', { artifactId: papyrusId, fromLine: 1234, lineCount: 20 });
    expect(w).toMatchObject({ fromLine: 1234, toLine: 1253, totalLines: 3000, eof: false });
    expect(w.text.split('\n')).toEqual(lines.slice(1233, 1253));
    const end = await call<{ toLine: number; eof: boolean }>(wb, 'logs:raw', {
      artifactId: papyrusId,
      fromLine: 2990,
    });
    expect(end).toMatchObject({ toLine: 3000, eof: true });
  });

  it('error patterns are searchable in the incident list', async () => {
    const skse = await call<PatternsRes>(wb, 'logs:patterns', {
      artifactId: wb.ctx.store
        .get(wb.ctx.store.list({ offset: 0, limit: 1 }).items[0]!.id)!
        .artifacts.find((a) => a.name === 'skse64.log')!.id,
      severity: ['error'],
    });
    expect(skse.items.map((p) => p.signature)).toEqual(["couldn't load plugin <PATH> (error <N>)"]);
    expect(wb.ctx.store.list({ search: 'baz.dll', offset: 0, limit: 5 }).total).toBe(1);
  });

  it('a log changed since indexing is deduped afresh', async () => {
    appendFileSync(papyrusPath, '[03/18/2026 - 08:05:00PM] error: Brand new failure 1\r\n');
    const r = await call<PatternsRes>(wb, 'logs:patterns', { artifactId: papyrusId, text: 'brand new' });
    expect(r.source).toBe('fresh');
    expect(r.summary.lines).toBe(3001);
    expect(r.items[0]).toMatchObject({ signature: '<TS> error: Brand new failure <N>', firstLine: 3001 });
  });

  it('refuses non-log artifacts and unknown ids', async () => {
    const dump = wb.ctx.store
      .get(wb.ctx.store.list({ offset: 0, limit: 1 }).items[0]!.id)!
      .artifacts.find((a) => a.role === 'dump')!;
    const bad = await dispatch(wb.handlers, 'logs:patterns', { artifactId: dump.id });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const missing = await dispatch(wb.handlers, 'logs:raw', { artifactId: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const tooMany = await dispatch(wb.handlers, 'logs:raw', { artifactId: papyrusId, lineCount: 100_000 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
