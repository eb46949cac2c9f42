/**
 * Child process of clean-close.test.ts: opens the index, writes an incident, says so and then
 * waits to be killed (SIGKILL: no orderly close, the write-ahead log stays behind).
 */
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';

const [dbPath, dataDir] = process.argv.slice(2) as [string, string];
const store = SqliteIncidentStore.open(dbPath, dataDir);
store.transaction(() =>
  store.writeIncident(
    {
      id: 'from-the-child',
      groupKey: 'k',
      kind: 'crash',
      source: 'wer',
      capturedAt: '2026-01-02T00:00:00.000',
      capturedMs: 1_767_312_000_000,
      folder: '/crashes',
      title: 'written before the crash',
      signature: null,
      verdict: null,
      hasErrors: false,
      artifactCount: 0,
    },
    [],
    [],
    'body',
  ),
);
process.stdout.write(`open ${store.openCheck.reason}\n`);
setInterval(() => undefined, 60_000);
