/**
 * Adds N SYNTHETIC dated incidents (no files behind them; test/helpers/synthetic-incidents.ts)
 * spread over the `days` before now to a data dir's index, so the Trends view has weeks of
 * history, repeat buckets and a bucket first seen this week.
 * Usage: tsx test/e2e/support/seed-trends.ts <dataDir> <count> <days>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { incidentIdFor } from '../../../src/main/sources/group';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../../src/shared/domain/local-time';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { seedSyntheticIncidents } from '../../helpers/synthetic-incidents';

const [dataDir, countArg, daysArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: seed-trends <dataDir> <count> <days>');
mkdirSync(dataDir, { recursive: true });
const store = SqliteIncidentStore.open(join(dataDir, 'index.sqlite'), dataDir);
const now = localIsoFromMs(Date.now());
seedSyntheticIncidents(store, Number(countArg ?? 400), { now, days: Number(daysArg ?? 60) });
// One bucket that first appeared two days ago, twice: the "new" badge.
for (const [i, ago] of [2, 1.5].entries()) {
  const ms = sortKeyOfLocalIso(now) - ago * 86_400_000;
  const key = `e2e-new-bucket|${i}`;
  store.writeIncident(
    {
      id: incidentIdFor(key),
      groupKey: key,
      kind: 'crash',
      source: 'crashlogger',
      capturedAt: new Date(ms).toISOString().slice(0, 23),
      capturedMs: ms,
      folder: '/synthetic',
      title: 'EXCEPTION_ACCESS_VIOLATION in NewMod.dll+0x4242 (synthetic)',
      signature: 'EXCEPTION_ACCESS_VIOLATION_READ | newmod.dll+0x4242',
      verdict: null,
      hasErrors: false,
      artifactCount: 0,
    },
    [],
    [{ name: 'NewMod.dll', role: 'faulting', hits: 1 }],
    'EXCEPTION_ACCESS_VIOLATION_READ | newmod.dll+0x4242 NewMod.dll',
  );
}
store.close();
console.log(`seeded ${countArg ?? 400}`);
