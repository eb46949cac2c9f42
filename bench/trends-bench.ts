// `npm run bench:trends`: trends:get query time on an index of 10,000 and 100,000 SYNTHETIC
// incidents (rows written straight into a real SQLite index through the store's schema: no
// files behind them), spread over a year with Zipf-distributed buckets and 4 modules each.
// Prints the median of 7 runs for the 30-day, 365-day and all-time ranges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeTrends } from '../src/main/analysis/trends/compute-trends';
import { SqliteIncidentStore } from '../src/main/store/sqlite-store';
import { seedSyntheticIncidents } from '../test/helpers/synthetic-incidents';

const NOW = '2026-12-01T12:00:00.000';

for (const n of [10_000, 100_000]) {
  const dir = mkdtempSync(join(tmpdir(), 'trends-bench-'));
  try {
    const store = SqliteIncidentStore.open(join(dir, 'index.sqlite'), dir);
    const t0 = performance.now();
    seedSyntheticIncidents(store, n, { now: NOW, days: 365 });
    const seedMs = performance.now() - t0;
    const parts: string[] = [];
    for (const days of [30, 365, 0]) {
      const times: number[] = [];
      let buckets = 0;
      for (let r = 0; r < 7; r++) {
        const s = performance.now();
        const t = computeTrends(store.trends, { days, now: NOW });
        times.push(performance.now() - s);
        buckets = t.totals.buckets;
      }
      times.sort((a, b) => a - b);
      parts.push(`${days === 0 ? 'all' : `${days}d`} ${times[3]!.toFixed(1)} ms (${buckets} buckets)`);
    }
    console.log(
      `${n.toLocaleString('en-US').padStart(7)} incidents (seeded in ${(seedMs / 1000).toFixed(1)} s): trends ${parts.join(', ')}`,
    );
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
