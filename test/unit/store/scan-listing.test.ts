import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../../../src/shared/domain/incident';
import { writeJsonStream } from '../../../src/main/cli/commands/incidents';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

// SYNTHETIC rows with many equal capture times: the streamed listing must keep the order the
// scan command had when it concatenated incidentsInFolder per folder and sorted stably by time.
function row(id: string, capturedMs: number, folder: string): IncidentRow {
  return {
    id,
    groupKey: id,
    kind: 'crash',
    source: 'wer',
    capturedAt: new Date(capturedMs).toISOString().slice(0, 23),
    capturedMs,
    folder,
    title: `"${id}"\nwith a newline`,
    signature: null,
    verdict: null,
    hasErrors: false,
    artifactCount: 0,
  };
}

function listedTheOldWay(store: SqliteIncidentStore, folders: string[]): IncidentSummary[] {
  const items: IncidentSummary[] = [];
  for (const f of folders) items.push(...store.incidentsInFolder(f));
  return items.sort((a, b) => (a.capturedAt < b.capturedAt ? 1 : a.capturedAt > b.capturedAt ? -1 : 0));
}

describe("the scan command's streamed listing", () => {
  let tmp: string;
  let store: SqliteIncidentStore;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-listing-'));
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    store.transaction(() => {
      for (let i = 0; i < 60; i++)
        store.writeIncident(row(`i${i}`, 1_000 * (i % 4), ['/a', '/b', '/c'][i % 3]!), [], [], '');
    });
  });
  afterEach(() => {
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gives the order of per-folder lists sorted stably by capture time (folders twice too)', () => {
    for (const folders of [['/a'], ['/b', '/a'], ['/c', '/a', '/b', '/a'], ['/nowhere'], []])
      expect([...store.incidentsInFolders(folders)]).toEqual(listedTheOldWay(store, folders));
  });

  it('writes JSON byte for byte as JSON.stringify of the whole document', () => {
    const scan = { scannedFolders: ['/a'], incidents: 2, errors: [{ path: '/x', message: 'm' }] };
    for (const folders of [['/a', '/b'], ['/nowhere']]) {
      const items = listedTheOldWay(store, folders);
      let text = '';
      writeJsonStream((t) => (text += t), { scan }, 'incidents', store.incidentsInFolders(folders));
      expect(text).toBe(`${JSON.stringify({ scan, incidents: items }, null, 2)}\n`);
    }
  });
});
