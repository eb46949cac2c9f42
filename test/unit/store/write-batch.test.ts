import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SqliteIncidentStore,
  type ArtifactRow,
  type IncidentRow,
  type IncidentWrite,
} from '../../../src/main/store/sqlite-store';
import { digestHashes, indexDigest } from '../../helpers/index-digest';

// Synthetic rows: what is compared is how the store writes them, not what a scan found.
function incident(i: number, round: number): IncidentWrite {
  // Every fifth incident shares a capture millisecond with the one before (search key ties);
  // in round 1 some move to another millisecond (their key moves) and some change nothing.
  const ms = 1_700_000_000_000 + Math.floor(i / 2) * 1000 + (round === 1 && i % 7 === 0 ? 17 : 0);
  const id = `inc${i.toString().padStart(4, '0')}`;
  const inc: IncidentRow = {
    id,
    groupKey: id,
    kind: i % 3 ? 'crash' : 'hang',
    source: 'wer',
    capturedAt: new Date(ms).toISOString().slice(0, 23),
    capturedMs: ms,
    folder: '/games',
    title: `Crash ${i} in Mod${i % 11}.dll (round ${round})`,
    signature: `SIG-${i % 13}`,
    verdict: null,
    hasErrors: i % 17 === 0,
    artifactCount: 2,
  };
  // In round 1 a dump moves to the next incident (the path's row is taken over).
  const owner = round === 1 && i % 5 === 1 ? i - 1 : i;
  const artifacts: ArtifactRow[] = [`${owner}.dmp`, `${i}-r${round % 2}.log`].map((name, k) => ({
    role: k === 0 ? 'dump' : 'crashlog',
    path: `/games/${name}`,
    name,
    size: 100 + i + round,
    mtimeMs: ms,
    sha256: null,
    parseStatus: 'ok',
    parseError: null,
    analyzer: 'test',
    factsJson: JSON.stringify({ i, round }),
  }));
  return {
    inc,
    artifacts,
    modules: [
      { name: `Mod${i % 11}.dll`, role: 'faulting', hits: 1 },
      { name: 'SkyrimSE.exe', role: 'stack', hits: 3 },
      { name: `mod${i % 11}.DLL`, role: 'stack', hits: 2 },
    ],
    body: `${artifacts.map((a) => a.name).join('\n')}\nMod${i % 11}.dll round${round} ${'word '.repeat(i % 40)}`,
  };
}

describe('writeIncidents: the same rows as writeIncident one by one', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-write-batch-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  function build(name: string, write: (s: SqliteIncidentStore, batch: IncidentWrite[]) => void) {
    const store = SqliteIncidentStore.open(join(tmp, name, 'index.sqlite'), join(tmp, name));
    // A cold scan, then a rescan that replaces some incidents (moved keys, moved files) and adds more.
    write(
      store,
      Array.from({ length: 300 }, (_, i) => incident(i, 0)),
    );
    write(
      store,
      Array.from({ length: 120 }, (_, i) => incident(i * 3, 1)).concat(
        Array.from({ length: 40 }, (_, i) => incident(300 + i, 1)),
      ),
    );
    const ids = (search: string) => store.list({ search, offset: 0, limit: 1000 }).items.map((x) => x.id);
    const found = [ids('mod3'), ids('round1'), ids('word'), ids('"1.dmp"')];
    store.close();
    return { digest: indexDigest(join(tmp, name, 'index.sqlite')), found };
  }

  it('a cold write and a rescan of 300 then 146 incidents leave every table and search the same', () => {
    const single = build('single', (s, batch) =>
      s.transaction(() => {
        for (const w of batch) s.writeIncident(w.inc, w.artifacts, w.modules, w.body);
      }),
    );
    const batched = build('batched', (s, batch) => {
      for (let i = 0; i < batch.length; i += 64) s.writeIncidents(batch.slice(i, i + 64));
    });
    expect(digestHashes(batched.digest)).toEqual(digestHashes(single.digest));
    expect(batched.digest).toEqual(single.digest);
    expect(batched.found).toEqual(single.found);
    // 120 rewritten (0, 3, … 357) and 40 added (300-339), 14 of which were also rewritten.
    expect(single.found[1]).toHaveLength(146);
  });

  it("runs each incident's own writes after its rows; a failing one is rolled back alone", () => {
    const store = SqliteIncidentStore.open(join(tmp, 'after', 'index.sqlite'), join(tmp, 'after'));
    const seen: string[] = [];
    const batch = [0, 1, 2].map((i) => ({
      ...incident(i, 0),
      after: () => {
        // The incident's row is there when its own writes run.
        seen.push(store.storedArtifact(`/games/${i}.dmp`)?.incidentId ?? 'not yet');
        store.setup.setIncidentMods(`inc000${i}`, 1, 'crash', [
          { mod: `M${i}`, version: null, nexusId: null, faulting: true },
        ]);
        if (i === 1) throw new Error('setup problem');
      },
    }));
    store.writeIncidents(batch);
    expect(seen).toEqual(['inc0000', 'inc0001', 'inc0002']);
    expect(store.list({ offset: 0, limit: 10 }).total).toBe(3);
    store.close();
    const d = indexDigest(join(tmp, 'after', 'index.sqlite'));
    expect(d.incident_mods!.map((r) => (JSON.parse(r) as { mod: string }).mod)).toEqual(['M0', 'M2']);
  });
});
