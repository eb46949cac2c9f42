import type { IncidentKind } from '../../src/shared/domain/incident';
import { incidentIdFor } from '../../src/main/sources/group';
import { sortKeyOfLocalIso } from '../../src/shared/domain/local-time';
import type { SqliteIncidentStore } from '../../src/main/store/sqlite-store';
import { mulberry32 } from './prng';

/**
 * SYNTHETIC dated incidents written straight into a real index (no files behind them), for
 * trends at scale and for UI tests that need "this week". Buckets are Zipf-distributed (a few
 * signatures dominate, as in real crash reporting), each incident names a faulting module and
 * three stack modules, kinds are 70% crash / 20% hang / 10% manual. Rows go in with plain
 * INSERTs into the store's own tables (new ids only): writeIncident's per-row deletes from the
 * FTS table are linear each, far too slow for 100,000 fresh rows.
 */
export interface SeedOptions {
  /** Wall-clock ISO; incidents fall in the `days` before it. */
  now: string;
  days: number;
  seed?: number;
  folder?: string;
}

const MODULES = [
  'SkyrimSE.exe',
  'JContainers64.dll',
  'EngineFixes.dll',
  'hdtSMP64.dll',
  'po3_Tweaks.dll',
  'nvwgf2umx.dll',
  'ntdll.dll',
  'KERNELBASE.dll',
  'SkyrimUpscaler.dll',
  'PapyrusExtender.dll',
  'CrashLogger.dll',
  'SkyrimDiag.dll',
  'ConsoleUtilSSE.dll',
  'MuJointFix.dll',
  'fiss.dll',
  'd3d11.dll',
];

export function seedSyntheticIncidents(store: SqliteIncidentStore, n: number, o: SeedOptions): void {
  const r = mulberry32(o.seed ?? 7);
  const nowMs = sortKeyOfLocalIso(o.now.length === 19 ? `${o.now}.000` : o.now);
  const nBuckets = Math.max(5, Math.floor(n / 25));
  // Zipf(1): bucket k has weight 1/(k+1).
  const weights = Array.from({ length: nBuckets }, (_, k) => 1 / (k + 1));
  const cum: number[] = [];
  weights.reduce((s, w, i) => (cum[i] = s + w), 0);
  const total = cum[cum.length - 1]!;
  const pickBucket = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const zipfModule = () => MODULES[Math.min(MODULES.length - 1, Math.floor(MODULES.length * r() * r()))]!;
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const b = pickBucket();
      const x = r();
      const kind: IncidentKind = x < 0.7 ? 'crash' : x < 0.9 ? 'hang' : 'manual';
      const ms = nowMs - Math.floor(r() * o.days * 86_400_000);
      const faulting = MODULES[(b * 7) % MODULES.length]!;
      const offset = (0x1000 + ((b * 2654435761) % 0xfffff)).toString(16);
      const signature =
        kind === 'manual'
          ? null
          : kind === 'hang'
            ? `HANG | main thread waits on ${faulting} | bucket ${b}`
            : `EXCEPTION_ACCESS_VIOLATION_READ | ${faulting.toLowerCase()}+0x${offset} | bucket ${b}`;
      const title =
        kind === 'manual'
          ? `Manual capture (synthetic #${i})`
          : kind === 'hang'
            ? `Main thread waiting on ${faulting} (synthetic bucket ${b})`
            : `EXCEPTION_ACCESS_VIOLATION reading 0x0 in ${faulting}+0x${offset} (synthetic bucket ${b})`;
      const key = `synthetic|${o.seed ?? 7}|${i}`;
      const id = incidentIdFor(key);
      const modules: { name: string; role: string; hits: number }[] = [];
      if (kind !== 'manual') {
        modules.push({ name: faulting, role: 'faulting', hits: 1 });
        for (let k = 0; k < 3; k++)
          modules.push({ name: zipfModule(), role: 'stack', hits: 1 + Math.floor(r() * 5) });
      }
      // Through the store's own writer, so search keys, FTS rows and triggers are the real ones.
      store.writeIncident(
        {
          id,
          groupKey: key,
          kind,
          source: 'skyrimdiag',
          capturedAt: new Date(ms).toISOString().slice(0, 23),
          capturedMs: ms,
          folder: o.folder ?? '/synthetic',
          title,
          signature,
          verdict: null,
          hasErrors: false,
          artifactCount: 0,
        },
        [],
        modules,
        `${signature ?? ''} ${faulting} synthetic bucket${b}`,
      );
    }
  });
}
