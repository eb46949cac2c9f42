import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzers } from '../../../src/main/analysis/analyzers';
import { RuleRegistry } from '../../../src/main/analysis/rules/registry';
import { analyseFile, type FileToAnalyse } from '../../../src/main/sources/analyse-file';
import { AnalysisPool } from '../../../src/main/sources/analysis-pool';
import { groupFiles } from '../../../src/main/sources/group';
import { ingestFolder } from '../../../src/main/sources/ingest';
import { walkFolder } from '../../../src/main/sources/walk';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { buildSkyrimDiagFolder, type BuiltFolder } from '../../helpers/skyrimdiag-folder';

/**
 * The worker pool must be invisible: the same bytes analysed in a worker thread or in the
 * scanning thread give the same stored artifact, and a dead worker costs nothing but time.
 * Real fixture files (dumps, crash logs) around synthetic SkyrimDiag JSON (skyrimdiag-folder.ts).
 */
// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('analysis worker pool', () => {
  const rules = new RuleRegistry();
  const env = { rules: () => rules.active() };
  let tmp: string;
  let built: BuiltFolder;
  let files: { path: string; size: number; role: Parameters<typeof analyseFile>[1] }[];
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-pool-'));
    built = buildSkyrimDiagFolder(join(tmp, 'games'));
    const walked = await walkFolder(built.root);
    files = groupFiles(
      built.root,
      walked.files.map((f) => ({ ...f, head: '' })),
    ).flatMap((c) => c.files.map((x) => ({ path: x.file.path, size: x.file.size, role: x.role })));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('gives what in-process analysis gives, for every artifact of a real-fixture folder', async () => {
    const pool = new AnalysisPool(analyzers, rules, 2);
    try {
      expect(pool.available).toBe(true);
      expect(files.length).toBeGreaterThan(10);
      expect(new Set(files.map((f) => f.role))).toEqual(
        expect.objectContaining({ size: expect.any(Number) }),
      );
      for (const f of files) {
        const here = await analyseFile(f, f.role, analyzers, env);
        const there = await pool.analyse(f, f.role);
        expect({ ...there, output: there.output?.verdict ?? null }, f.path).toEqual({
          ...here,
          output: here.output?.verdict ?? null,
        });
      }
    } finally {
      pool.close();
    }
  });

  it('releases its workers between scans and starts them again when needed', async () => {
    const pool = new AnalysisPool(analyzers, rules, 2);
    try {
      const f = files[0]!;
      await Promise.all([pool.analyse(f, f.role), pool.analyse(f, f.role)]);
      expect(pool.workerCount).toBe(2);
      pool.release();
      expect(pool.workerCount).toBe(0);
      // Released is not broken: the next scan runs in workers again.
      expect(pool.available).toBe(true);
      const again = await pool.analyse(f, f.role);
      expect(again.output?.verdict ?? null).toEqual(
        (await analyseFile(f, f.role, analyzers, env)).output?.verdict ?? null,
      );
      expect(pool.workerCount).toBe(1);
    } finally {
      pool.close();
    }
  });

  it('a scan through the pool writes the same index as one in-process', async () => {
    const snapshot = async (usePool: boolean) => {
      const dir = mkdtempSync(join(tmp, usePool ? 'pool-' : 'inproc-'));
      const store = SqliteIncidentStore.open(join(dir, 'index.sqlite'), dir);
      const pool = new AnalysisPool(analyzers, rules, 1);
      try {
        await ingestFolder(store, built.root, {
          analyzers,
          env,
          ...(usePool ? { pool, poolMinFiles: 0 } : {}),
        });
        return store.list({ offset: 0, limit: 500 }).items.map((i) => {
          const d = store.get(i.id)!;
          return {
            ...i,
            verdict: d.verdict,
            artifacts: d.artifacts.map((a) => [a.name, a.role, a.sha256, a.parseStatus, a.parseError]),
            facts: d.artifacts.map((a) => JSON.stringify(store.getFacts(a.id))),
          };
        });
      } finally {
        pool.close();
        store.close();
      }
    };
    const viaPool = await snapshot(true);
    expect(viaPool.length).toBe(built.expected.length);
    expect(viaPool).toEqual(await snapshot(false));
  });

  it('a worker that dies mid-way: its files are analysed in-process, none is lost', async () => {
    const pool = new AnalysisPool(analyzers, rules, 1);
    try {
      const work = [...files, ...files, ...files].map((f) => pool.analyse(f, f.role));
      // Kill the worker while its queue is full (SYNTHETIC failure: a crash in a native read).
      const slots = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots;
      expect(slots.length).toBe(1);
      await slots[0]!.worker.terminate();
      const results = await Promise.all(work);
      expect(results.length).toBe(files.length * 3);
      for (const [i, r] of results.entries()) {
        const f = files[i % files.length]!;
        expect(r.sha256, f.path).toBe((await analyseFile(f, f.role, analyzers, env)).sha256);
      }
      // Later work stays in-process rather than retrying a broken worker.
      expect(pool.available).toBe(false);
      expect((await pool.analyse(files[0]!, files[0]!.role)).status).not.toBe('pending');
    } finally {
      pool.close();
    }
  });

  it('warm() starts every worker before any file is sent, and they analyse as before', async () => {
    const pool = new AnalysisPool(analyzers, rules, 2);
    try {
      pool.warm();
      expect(pool.workerCount).toBe(2);
      pool.warm();
      expect(pool.workerCount).toBe(2);
      const f = files[0]!;
      expect((await pool.analyse(f, f.role)).sha256).toBe(
        (await analyseFile(f, f.role, analyzers, env)).sha256,
      );
      expect(pool.workerCount).toBe(2);
    } finally {
      pool.close();
    }
  });

  it('a scan warms the pool for a folder the index has nothing of, before analysing; a rescan does not', async () => {
    const dir = mkdtempSync(join(tmp, 'warm-'));
    const store = SqliteIncidentStore.open(join(dir, 'index.sqlite'), dir);
    const events: string[] = [];
    const pool = {
      available: true,
      warm: () => void events.push('warm'),
      analyse: (f: FileToAnalyse, role: Parameters<typeof analyseFile>[1]) => {
        events.push('analyse');
        return analyseFile(f, role, analyzers, env);
      },
    };
    const added = join(built.root, 'crash-2031-01-02-03-04-05.log');
    try {
      await ingestFolder(store, built.root, { analyzers, env, pool, poolMinFiles: 0 });
      expect(events[0]).toBe('warm');
      expect(events.filter((e) => e === 'warm')).toHaveLength(1);
      expect(events.filter((e) => e === 'analyse').length).toBeGreaterThan(10);
      // A new crash log next to indexed incidents: analysed, and no warm-up for one file.
      events.length = 0;
      copyFileSync(real('crashlogs', 'buffout4-fo4', 'crash-2023-12-01-08-33-44.log'), added);
      const rescan = await ingestFolder(store, built.root, { analyzers, env, pool, poolMinFiles: 0 });
      expect(rescan.added).toBe(1);
      expect(events).toEqual(['analyse']);
    } finally {
      rmSync(added, { force: true });
      store.close();
    }
  });
});
