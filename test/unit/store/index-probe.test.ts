import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_CHECK_EVERY_MS, closeMarkPath } from '../../../src/main/store/clean-close';
import { IndexProbe } from '../../../src/main/store/index-probe';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

/**
 * The scan's read-only look at the index (issue 15): it opens only where the store's own open
 * would merely count a session, answers as the store does, and leaves the file as it found it
 * so the next open still needs no full check. Real SQLite files.
 */
describe('IndexProbe', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-probe-'));
    path = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const incident = (i: number, folder: string): IncidentRow => ({
    id: `inc-${i}`,
    groupKey: `k${i}`,
    kind: i % 2 ? 'crash' : 'hang',
    source: 'wer',
    capturedAt: new Date(1_767_312_000_000 + (i % 9) * 1000).toISOString().replace('Z', ''),
    capturedMs: 1_767_312_000_000 + (i % 9) * 1000,
    folder,
    title: `crash ${i}`,
    signature: `sig-${i % 4}`,
    verdict: null,
    hasErrors: i % 5 === 0,
    artifactCount: 0,
  });

  /** An index closed in order, with a fixed incident (so listings carry `regressed`). */
  function filled(): void {
    const store = SqliteIncidentStore.open(path, dir);
    store.transaction(() => {
      for (let i = 0; i < 50; i++) store.writeIncident(incident(i, i % 3 ? '/a' : '/b'), [], [], `body ${i}`);
    });
    store.setStatus('inc-3', 'fixed');
    store.close();
  }

  const identity = () => {
    const s = statSync(path, { bigint: true });
    return `${s.ino} ${s.size} ${s.mtimeNs} ${s.ctimeNs}`;
  };

  it('answers what the store answers, and leaves the file as the last close recorded it', () => {
    filled();
    const store = SqliteIncidentStore.open(path, dir);
    const expected = {
      lines: [...store.listingLinesInFolders(['/a', '/b'])],
      summaries: [...store.incidentsInFolders(['/b', '/a'])],
      stamps: ['/a', '/b', '/none'].map((f) => store.folderStamp(f)),
    };
    store.close();
    const before = identity();

    const probe = IndexProbe.open(path);
    expect(probe).not.toBeNull();
    expect([...probe!.listingLinesInFolders(['/a', '/b'])]).toEqual(expected.lines);
    expect([...probe!.incidentsInFolders(['/b', '/a'])]).toEqual(expected.summaries);
    expect(['/a', '/b', '/none'].map((f) => probe!.folderStamp(f))).toEqual(expected.stamps);
    expect(expected.summaries.some((s) => s.regressed)).toBe(true);
    probe!.close();

    expect(identity()).toBe(before);
    // The next open trusts the last orderly close: no full check.
    const again = SqliteIncidentStore.open(path, dir);
    expect(again.openCheck).toEqual({ ran: false, reason: 'clean' });
    again.close();
    // And a probe after a probe.
    const second = IndexProbe.open(path);
    expect(second).not.toBeNull();
    second!.close();
  });

  it('does not open where the store would check, migrate or wait: the store opens instead', () => {
    expect(IndexProbe.open(path)).toBeNull(); // no index yet
    filled();

    // Another session has it open (the app while the CLI runs).
    const open = SqliteIncidentStore.open(path, dir);
    expect(IndexProbe.open(path)).toBeNull();
    open.close();
    const ok = IndexProbe.open(path);
    expect(ok).not.toBeNull();
    ok!.close();

    // A full check is due.
    expect(IndexProbe.open(path, Date.now() + FULL_CHECK_EVERY_MS + 60_000)).toBeNull();

    // A log left behind.
    writeFileSync(`${path}-wal`, Buffer.alloc(64, 1));
    expect(IndexProbe.open(path)).toBeNull();
    rmSync(`${path}-wal`);

    // No record of the last close.
    rmSync(closeMarkPath(path));
    expect(IndexProbe.open(path)).toBeNull();
    const store = SqliteIncidentStore.open(path, dir);
    store.close();
    const back = IndexProbe.open(path);
    expect(back).not.toBeNull();
    back!.close();

    // Not an index at all.
    writeFileSync(path, 'not a database, but with a sidecar that names it');
    expect(IndexProbe.open(path)).toBeNull();
  });
});
