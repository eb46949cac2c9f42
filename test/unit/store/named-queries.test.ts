import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../../../src/shared/domain/incident';
import { writeJsonStream } from '../../../src/main/cli/commands/incidents';
import { statement, type ReadableDB, type WritableDB } from '../../../src/main/store/db';
import {
  SqliteIncidentStore,
  type ArtifactRow,
  type IncidentRow,
} from '../../../src/main/store/sqlite-store';

// SYNTHETIC rows: what is tested is the store's own queries (the CLI and the capture handler
// used to run these as raw SQL outside store/).
function row(id: string, capturedMs: number, folder: string): IncidentRow {
  return {
    id,
    groupKey: id,
    kind: 'crash',
    source: 'wer',
    capturedAt: new Date(capturedMs).toISOString().slice(0, 23),
    capturedMs,
    folder,
    title: id,
    signature: null,
    verdict: null,
    hasErrors: false,
    artifactCount: 1,
  };
}

function artifact(path: string): ArtifactRow {
  return {
    role: 'dump',
    path,
    name: path.split('/').pop()!,
    size: 1,
    mtimeMs: 1,
    sha256: null,
    parseStatus: 'ok',
    parseError: null,
    analyzer: null,
    factsJson: null,
  };
}

describe('named store queries', () => {
  let tmp: string;
  let store: SqliteIncidentStore;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-named-'));
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    store.transaction(() => {
      store.writeIncident(row('abc1', 1_000, '/a'), [artifact('/a/one.dmp')], [], '');
      store.writeIncident(row('abc2', 3_000, '/a'), [artifact('/a/two.dmp')], [], '');
      store.writeIncident(row('abd3', 2_000, '/b'), [artifact('/b/three.dmp')], [], '');
      store.writeIncident(row('a_c4', 4_000, '/a/sub'), [], [], '');
    });
  });
  afterEach(() => {
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("lists one folder's incidents newest first, without its subfolders or neighbours", () => {
    expect(store.incidentsInFolder('/a').map((i) => i.id)).toEqual(['abc2', 'abc1']);
    expect(store.incidentsInFolder('/nowhere')).toEqual([]);
  });

  it('finds ids by prefix, treating LIKE wildcards as nothing', () => {
    expect(store.incidentIdsByPrefix('abc', 10).sort()).toEqual(['abc1', 'abc2']);
    expect(store.incidentIdsByPrefix('ab', 2)).toHaveLength(2);
    expect(store.incidentIdsByPrefix('a_', 10).sort()).toEqual(['a_c4', 'abc1', 'abc2', 'abd3']);
    expect(store.incidentIdsByPrefix('%', 10)).toHaveLength(4);
    expect(store.incidentIdsByPrefix('zz', 10)).toEqual([]);
  });

  it("finds an artifact's incident by path", () => {
    expect(store.incidentIdOfArtifact('/b/three.dmp')).toBe('abd3');
    expect(store.incidentIdOfArtifact('/b/missing.dmp')).toBeNull();
  });

  it('clear() empties the index but keeps settings', () => {
    store.setSetting('k', 1);
    store.clear();
    expect(store.list({ offset: 0, limit: 10 }).total).toBe(0);
    expect(store.getSetting('k', 0)).toBe(1);
  });
});

describe('typed handles', () => {
  it('a writer may read, a reader may not be handed to a write', () => {
    const write = (db: WritableDB) => statement(db, 'DELETE FROM settings');
    const read = (db: ReadableDB) => statement(db, 'SELECT 1');
    const check = (r: ReadableDB, w: WritableDB) => {
      read(w);
      // @ts-expect-error a ReadableDB is not a WritableDB
      write(r);
    };
    expect(typeof check).toBe('function');
  });
});

function listedTheOldWay(store: SqliteIncidentStore, folders: string[]): IncidentSummary[] {
  const items: IncidentSummary[] = [];
  for (const f of folders) items.push(...store.incidentsInFolder(f));
  return items.sort((a, b) => (a.capturedAt < b.capturedAt ? 1 : a.capturedAt > b.capturedAt ? -1 : 0));
}

// Many equal capture times: the streamed listing must keep the order the scan command had when
// it concatenated incidentsInFolder per folder and sorted stably by time.
describe("the scan command's streamed listing", () => {
  let tmp: string;
  let store: SqliteIncidentStore;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-listing-'));
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    store.transaction(() => {
      for (let i = 0; i < 60; i++)
        store.writeIncident(
          { ...row(`i${i}`, 1_000 * (i % 4), ['/a', '/b', '/c'][i % 3]!), title: `"i${i}"\nwith a newline` },
          [],
          [],
          '',
        );
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
