/**
 * `npm run bench:index`: indexing and search at scale (issue 2 targets).
 *  1. 10,000 incidents (SYNTHETIC folder: real fixture dumps/crash logs hard-linked under
 *     SkyrimDiag/WER/crash-log names, plus generated manifests/summaries/WCT) indexed cold
 *     (target < 10 s), then rescanned with nothing changed (target < 0.5 s). In the same run,
 *     in this process: a walk that stats every file and one that reads every file, the
 *     baselines of issue 15 (rescan within 3x of the stat walk, cold within 3x of reading all).
 *  2. FTS search over 100,000 indexed incidents (SYNTHETIC rows): p50/p95 (target p95 < 20 ms).
 * Prints numbers; asserts nothing.
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkbench } from '../src/main/workbench';
import { incidentIdFor } from '../src/main/sources/group';
import { SqliteIncidentStore } from '../src/main/store/sqlite-store';
import { real } from '../test/helpers/fixtures';
import { loadAverage } from './support/child-cost';

const N = Number(process.env.BENCH_INCIDENTS ?? 10_000);
const FTS_N = Number(process.env.BENCH_FTS_INCIDENTS ?? 100_000);

function ts(i: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + i * 61_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}_${p(i % 1000, 3)}`;
}

/** Lays out `n` incidents under root (default BENCH_INCIDENTS); returns the number of files. */
export function buildFolder(root: string, n = N): number {
  const sd = join(root, 'Tullius Ctd Logs');
  const wer = join(root, 'CrashDumps');
  const logs = join(root, 'SKSE');
  for (const d of [sd, wer, logs]) mkdirSync(d, { recursive: true });
  const dumps = [
    'ascii_write_av.dmp',
    'null_read_av.dmp',
    'minidump2.dmp',
    'thread_name_list.dmp',
    'write_av_non_canonical.dmp',
  ].map((n) => real('minidumps', n));
  const buffout = [
    'crash-2024-04-30-11-44-59.log',
    'crash-2025-03-18-07-49-12.log',
    'crash-2023-12-01-08-33-44.log',
  ].map((n) => real('crashlogs', 'buffout4-fo4', n));
  let files = 0;
  for (let i = 0; i < n; i++) {
    const t = ts(i);
    const mix = i % 5;
    if (mix <= 1) {
      const stem = `SkyrimDiag_Crash_${t}`;
      linkSync(dumps[i % 3]!, join(sd, `${stem}.dmp`));
      writeFileSync(
        join(sd, `SkyrimDiag_Incident_Crash_${t}.json`),
        JSON.stringify({
          schema: { name: 'SkyrimDiagIncident', version: 1 },
          incident_id: `crash_${t}_pid${i}`,
          capture_kind: 'crash',
          timestamp_local: t,
          pid: i,
          artifacts: { dump: `${stem}.dmp` },
        }),
      );
      writeFileSync(
        join(sd, `${stem}_SkyrimDiagSummary.json`),
        JSON.stringify({
          schema: { name: 'SkyrimDiagSummary', version: 2 },
          summary_sentence: `Synthetic crash ${i} in Mod${i % 97}.dll`,
          crash_bucket_key: `CTD2-${(i % 400).toString(16).padStart(16, '0')}`,
        }),
      );
      files += 3;
    } else if (mix === 2) {
      const stem = `SkyrimDiag_Hang_${t}`;
      linkSync(dumps[3]!, join(sd, `${stem}.dmp`));
      writeFileSync(
        join(sd, `SkyrimDiag_WCT_${t}.json`),
        JSON.stringify({
          pid: 1,
          threads: [
            {
              tid: 10,
              isCycle: false,
              nodes: [
                { objectType: 8, objectStatus: 3, thread: { processId: 1, threadId: 10, waitTime: 9000 } },
                { objectType: 1, objectStatus: 6, objectName: '' },
                { objectType: 8, objectStatus: 3, thread: { processId: 1, threadId: 11, waitTime: 100 } },
              ],
            },
          ],
        }),
      );
      files += 2;
    } else if (mix === 3) {
      linkSync(dumps[4]!, join(wer, `Game.exe.${i}.dmp`));
      files += 1;
    } else {
      const d = new Date(Date.UTC(2024, 0, 1) + i * 61_000);
      const p = (n: number) => String(n).padStart(2, '0');
      linkSync(
        buffout[i % 3]!,
        join(
          logs,
          `crash-${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}.log`,
        ),
      );
      files += 1;
    }
  }
  return files;
}

/** Every file under root, depth first (the baselines' own walk: readdir with types, no filters). */
function eachFile(root: string, fn: (path: string) => void): void {
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) eachFile(p, fn);
    else if (e.isFile()) fn(p);
  }
}

/** Baselines: stat every file; read every file. Milliseconds, best of `rounds`. */
function baselines(root: string, rounds = 3): { statMs: number; readMs: number; bytes: number } {
  let statMs = Infinity;
  let readMs = Infinity;
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    let n = 0;
    eachFile(root, (p) => (n += statSync(p).size));
    statMs = Math.min(statMs, performance.now() - t);
    t = performance.now();
    bytes = 0;
    eachFile(root, (p) => (bytes += readFileSync(p).length));
    readMs = Math.min(readMs, performance.now() - t);
    if (n !== bytes) throw new Error('files changed under the benchmark');
  }
  return { statMs, readMs, bytes };
}

function fillFts(store: SqliteIncidentStore): void {
  const words = [
    'SkyrimSE.exe',
    'JContainers64.dll',
    'EngineFixes.dll',
    'hdtSMP64.dll',
    'nvwgf2umx.dll',
    'ShadowSceneNode',
    'D6DDDA',
    'KERNELBASE.dll',
    'po3_Tweaks.dll',
    'NiNode',
    'BSLightingShader',
    'Fallout4.exe',
    'Buffout4.dll',
    'XAudio2_7.dll',
  ];
  store.transaction(() => {
    for (let i = 0; i < FTS_N; i++) {
      const a = words[i % words.length]!;
      const b = words[(i * 7) % words.length]!;
      const id = incidentIdFor(`fts-bench|${i}`);
      store.writeIncident(
        {
          id,
          groupKey: `fts-bench|${i}`,
          kind: 'crash',
          source: 'wer',
          capturedAt: '2026-01-01T00:00:00.000',
          capturedMs: i,
          folder: '/bench',
          title: `EXCEPTION_ACCESS_VIOLATION in ${a}+0x${(i % 4096).toString(16)}`,
          signature: `${a}|${i % 500}`,
          verdict: null,
          hasErrors: false,
          artifactCount: 0,
        },
        [],
        [],
        `${a} ${b} Mod${i % 997}.esp form 0x${((i * 2654435761) % 0xffffffff).toString(16)} callstack ${b}+0x${(i % 777).toString(16)}`,
      );
    }
  });
}

async function main(): Promise<void> {
  if (!existsSync(real())) throw new Error(`fixtures not found at ${real()} (set CTD_FIXTURES)`);
  const tmp = mkdtempSync(join(tmpdir(), 'ctd-bench-index-'));
  try {
    const t0 = performance.now();
    const files = buildFolder(join(tmp, 'games'));
    console.log(
      `generated ${N} incidents (${files} files) in ${((performance.now() - t0) / 1000).toFixed(1)} s [synthetic layout around real fixture files]`,
    );

    const base = baselines(join(tmp, 'games'));
    console.log(
      `baselines in this process: stat every file ${base.statMs.toFixed(0)} ms, read every file ${base.readMs.toFixed(0)} ms (${(base.bytes / 1048576).toFixed(0)} MiB; best of 3, warm cache); load average ${loadAverage()}`,
    );
    const wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'cli' });
    let t = performance.now();
    const cold = await wb.ctx.sources.scan([join(tmp, 'games')]);
    const coldMs = performance.now() - t;
    t = performance.now();
    const warm = await wb.ctx.sources.scan([join(tmp, 'games')]);
    const warmMs = performance.now() - t;
    console.log(
      `cold index: ${cold.incidents} incidents, ${cold.filesRead} files read, ${(coldMs / 1000).toFixed(2)} s (target < 10 s), ${(coldMs / base.readMs).toFixed(1)}x reading every file (target <= 3x)`,
    );
    console.log(
      `rescan, nothing changed: ${warm.filesRead} files read, ${(warmMs / 1000).toFixed(3)} s (target < 0.5 s), ${(warmMs / base.statMs).toFixed(1)}x stat-ing every file (target <= 3x)`,
    );
    t = performance.now();
    const page = wb.ctx.store.list({ offset: 0, limit: 10_000 });
    console.log(
      `list 10,000 newest first: ${(performance.now() - t).toFixed(1)} ms (${page.items.length} rows)`,
    );
    await wb.close();

    const wb2 = await createWorkbench({ dataDir: join(tmp, 'fts'), transport: 'cli' });
    t = performance.now();
    fillFts(wb2.ctx.store as SqliteIncidentStore);
    console.log(
      `filled ${FTS_N} synthetic incidents for search in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const queries = [
      'jcontainers',
      'D6DDDA',
      'hdtSMP64',
      'Mod42',
      'ShadowSceneNode nvwgf2umx',
      'EXCEPTION_ACCESS_VIOLATION',
      'kernelbase callstack',
      'BSLighting',
      'Buffout4',
      'nothing-matches-this',
    ];
    const dbPath = (wb2.ctx.store as SqliteIncidentStore).path;
    await wb2.close();
    // Each round opens the index afresh, so every first page pays for its count and its
    // statements (the store keeps counts only until the next write, for paging).
    const first: number[] = [];
    const next: number[] = [];
    for (let r = 0; r < 30; r++) {
      const store = SqliteIncidentStore.open(dbPath, join(tmp, 'fts'));
      for (const q of queries) {
        let s = performance.now();
        store.list({ search: q, offset: 0, limit: 500 });
        first.push(performance.now() - s);
        s = performance.now();
        store.list({ search: q, offset: 500, limit: 500 });
        next.push(performance.now() - s);
      }
      store.close();
    }
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
    };
    console.log(
      `FTS over ${FTS_N} incidents, first page (500 newest + total count): p50 ${pct(first, 50)} ms, p95 ${pct(first, 95)} ms, max ${pct(first, 100)} ms (target p95 < 20 ms)`,
    );
    console.log(
      `FTS next page (count reused): p50 ${pct(next, 50)} ms, p95 ${pct(next, 95)} ms, max ${pct(next, 100)} ms`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
