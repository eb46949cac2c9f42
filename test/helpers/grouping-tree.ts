import type { FoundFile } from '../../src/main/sources/group';
import { mulberry32 } from './prng';

/**
 * A generated scan root for grouping tests (in memory: grouping is pure): SkyrimDiag captures
 * with manifests, recaptures, analyzer outputs, evidence, traces and WCT files; WER dumps;
 * crash logs and thread dumps, Papyrus and session logs around the captures, many right at the
 * edge of their pairing windows; an imported bundle; all spread over subfolders and handed to
 * grouping in a shuffled order. Times are local wall-clock as UTC: run with TZ=UTC.
 */
export function groupingTree(seed: number, incidents: number): FoundFile[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const dirs = ['/g/SD', '/g/SD/old', '/g/Other/SD2', '/g/CrashDumps', '/g/SKSE', '/g/SKSE/deep/er'];
  const logDirs = ['/g/SKSE', '/g/SKSE/deep/er', '/g/SD', '/g/Logs'];
  const files: FoundFile[] = [];
  const used = new Set<string>();
  const add = (path: string, mtimeMs: number, extra: Partial<FoundFile> = {}) => {
    if (used.has(path.toLowerCase())) return;
    used.add(path.toLowerCase());
    files.push({ path, size: 1 + Math.floor(rnd() * 5000), mtimeMs, ...extra });
  };
  const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
  const d = (ms: number) => new Date(ms);
  const sdTs = (ms: number) =>
    `${d(ms).getUTCFullYear()}${p2(d(ms).getUTCMonth() + 1)}${p2(d(ms).getUTCDate())}_${p2(d(ms).getUTCHours())}${p2(d(ms).getUTCMinutes())}${p2(d(ms).getUTCSeconds())}`;
  const logName = (ms: number) =>
    `crash-${d(ms).getUTCFullYear()}-${p2(d(ms).getUTCMonth() + 1)}-${p2(d(ms).getUTCDate())}-${p2(d(ms).getUTCHours())}-${p2(d(ms).getUTCMinutes())}-${p2(d(ms).getUTCSeconds())}.log`;
  // Offsets that sit on, just inside and just outside the 120 s, 10 min and 6 h windows.
  const edges = [0, 1000, -1000, 119_000, 120_000, 121_000, -120_000, -121_000, 599_000, 600_000, 601_000];
  const sessionEdges = [1, 1000, 6 * 3600_000, 6 * 3600_000 + 1, 6 * 3600_000 - 1000, 3600_000];
  let t = Date.UTC(2024, 0, 1);
  for (let i = 0; i < incidents; i++) {
    // Captures close together (some within a window of each other) and some far apart.
    t += pick([1000, 30_000, 60_000, 119_000, 120_000, 240_000, 3600_000]);
    const kind = pick(['Crash', 'Crash', 'Hang', 'Manual']);
    const what = rnd();
    if (what < 0.55) {
      const dir = pick(dirs);
      const ts = sdTs(t);
      const stem = `SkyrimDiag_${kind}_${ts}`;
      if (rnd() < 0.9) add(`${dir}/${stem}.dmp`, t + 500);
      if (rnd() < 0.2) add(`${dir}/${stem}_Full.dmp`, t + 900);
      if (rnd() < 0.7) add(`${dir}/SkyrimDiag_Incident_${kind}_${ts}.json`, t + 700);
      if (rnd() < 0.5) add(`${dir}/${stem}_SkyrimDiagSummary.json`, t + 800);
      if (rnd() < 0.2) add(`${dir}/${stem}_SkyrimDiagReport.txt`, t + 800, { knownLogKind: null });
      if (kind === 'Hang' && rnd() < 0.7) add(`${dir}/SkyrimDiag_WCT_${ts}.json`, t + 600);
      if (rnd() < 0.15) add(`${dir}/${stem}.etl`, t + 650);
      if (rnd() < 0.1) {
        // A recapture a little later, linked to this crash by its manifest.
        const rts = sdTs(t + 5000);
        add(`${dir}/SkyrimDiag_Crash_${rts}_Recapture.dmp`, t + 5500);
        add(`${dir}/SkyrimDiag_Incident_CrashRecapture_${rts}.json`, t + 5600, {
          json: { context: { source_dump: `${stem}.dmp` } },
        });
      }
      if (rnd() < 0.1)
        add(`${dir}/SkyrimDiag_PostExitCrashEvidence_${sdTs(t + 2000)}_${i}.json`, t + 2000, {
          json: rnd() < 0.7 ? { dump_filename: `C:\\x\\${stem}.dmp` } : {},
        });
      if (rnd() < 0.05) add(`${dir}/SkyrimDiag_Crash_${sdTs(t + 7000)}_PluginScan.json`, t + 7000);
      if (rnd() < 0.05) add(`${dir}/SkyrimDiag_Preflight.json`, t);
      if (rnd() < 0.03) add(`${dir}/${stem}.dmp.tmp.1.2.3`, t);
    } else if (what < 0.75) {
      const dir = pick(['/g/CrashDumps', '/g/Other/WER', '/g/SD']);
      add(`${dir}/Game.exe.${1000 + i}.dmp`, t);
      if (rnd() < 0.2) add(`${dir}/Game.exe.${1000 + i}.etl`, t + 100);
    } else if (what < 0.8) {
      add(`/g/Traces/trace_${i}.etl`, t);
    }
    // Logs around this time, near the edges of the windows, in any folder.
    const logs = Math.floor(rnd() * 3);
    for (let l = 0; l < logs; l++) {
      const lt = t + pick(edges);
      const dir = pick(logDirs);
      const r = rnd();
      if (r < 0.45) add(`${dir}/${logName(lt)}`, lt + 3000, { knownLogKind: 'crash' });
      else if (r < 0.6) add(`${dir}/threaddump-${i}-${l}.log`, lt, { knownLogKind: 'threaddump' });
      else if (r < 0.7) add(`${dir}/renamed-${i}-${l}.txt`, lt, { knownLogKind: 'crash' });
      else if (r < 0.85) add(`${dir}/p${i}_${l}/Papyrus.0.log`, lt, { knownLogKind: 'papyrus' });
      else add(`${dir}/notes-${i}-${l}.txt`, lt, { knownLogKind: null });
    }
    if (rnd() < 0.1)
      add(`/g/S${i}/${pick(['skse64.log', 'SkyrimDiag.log', 'f4se_loader.log'])}`, t - pick(sessionEdges));
  }
  // An imported bundle: one incident whatever its files are called.
  add('/g/Imported/b1/bundle.json', t, {
    json: {
      incident: { capturedAt: '2024-02-01T10:00:00.000Z', kind: 'crash' },
      files: [{ name: 'x.dmp', role: 'dump' }],
    },
  });
  add('/g/Imported/b1/x.dmp', t);
  add('/g/Imported/b1/crash-2024-02-01-10-00-00.log', t, { knownLogKind: 'crash' });
  // Shuffled with the seed: a walk lists files in no particular order.
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [files[i], files[j]] = [files[j]!, files[i]!];
  }
  return files;
}
