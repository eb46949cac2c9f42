/**
 * Fills a data dir's index with N SYNTHETIC incidents (no files behind them) for the
 * 10,000-row list test: only list rendering is measured, so rows are written straight
 * through the store instead of generating and scanning 10,000 file sets.
 * Usage: tsx test/e2e/support/seed-incidents.ts <dataDir> <count>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { incidentIdFor } from '../../../src/main/sources/group';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';

const [dataDir, countArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: seed-incidents <dataDir> <count>');
const count = Number(countArg ?? 10_000);
mkdirSync(dataDir, { recursive: true });
const store = SqliteIncidentStore.open(join(dataDir, 'index.sqlite'), dataDir);
const kinds = ['crash', 'crash', 'hang', 'manual'] as const;
const sources = ['skyrimdiag', 'crashlogger', 'wer'] as const;
const modules = ['JContainers64.dll', 'EngineFixes.dll', 'hdtSMP64.dll', 'nvwgf2umx.dll', 'po3_Tweaks.dll'];
const base = Date.UTC(2026, 0, 1);
store.transaction(() => {
  for (let i = 0; i < count; i++) {
    const ms = base + i * 61_000;
    const iso = new Date(ms).toISOString().slice(0, 23);
    const mod = modules[i % modules.length]!;
    const kind = kinds[i % kinds.length]!;
    const key = `e2e-synthetic|${i}`;
    store.writeIncident(
      {
        id: incidentIdFor(key),
        groupKey: key,
        kind,
        source: sources[i % sources.length]!,
        capturedAt: iso,
        capturedMs: ms,
        folder: '/synthetic',
        title:
          kind === 'hang'
            ? `Main thread waiting on a lock held by thread ${1000 + (i % 50)} (synthetic #${i})`
            : `EXCEPTION_ACCESS_VIOLATION reading 0x0 in ${mod}+0x${(i % 4096).toString(16)} (synthetic #${i})`,
        signature: `${mod}|${(i % 300).toString(16)}`,
        verdict: null,
        hasErrors: i % 97 === 0,
        artifactCount: 0,
      },
      [],
      [],
      `${mod} synthetic${i}`,
    );
  }
});
store.close();
console.log(`seeded ${count}`);
