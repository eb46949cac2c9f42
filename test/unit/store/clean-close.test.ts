import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FULL_CHECK_EVERY_MS,
  closeMarkPath,
  openCheckReason,
  voidCloseMarks,
  type FileIdentity,
} from '../../../src/main/store/clean-close';
import { migrate } from '../../../src/main/store/migrations';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

/** Real SQLite files throughout: the store as the app and the CLI open it. */
describe('the full integrity check at open runs when something may have damaged the index', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-clean-close-'));
    path = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const incident = (i: number): IncidentRow => ({
    id: `inc-${i}`,
    groupKey: `k${i}`,
    kind: 'crash',
    source: 'wer',
    capturedAt: new Date(1_767_312_000_000 + i * 1000).toISOString().replace('Z', ''),
    capturedMs: 1_767_312_000_000 + i * 1000,
    folder: '/crashes',
    title: `crash ${i}`,
    signature: `sig-${i % 7}`,
    verdict: null,
    hasErrors: false,
    artifactCount: 0,
  });

  /** An index of a few hundred pages, closed in order. */
  function filled(): void {
    const store = SqliteIncidentStore.open(path, dir);
    store.transaction(() => {
      for (let i = 0; i < 300; i++) store.writeIncident(incident(i), [], [], `search text ${i} `.repeat(40));
    });
    store.close();
  }

  const open = (now?: number) => SqliteIncidentStore.open(path, dir, now ? { now: () => now } : {});

  it('an index closed in order opens without it; the first open of a new or older index runs it', () => {
    const first = open();
    expect(first.openCheck).toEqual({ ran: true, reason: 'new-or-older-index' });
    first.close();
    expect(existsSync(closeMarkPath(path))).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    filled();
    const again = open();
    expect(again.openCheck).toEqual({ ran: false, reason: 'clean' });
    expect(again.list({ offset: 0, limit: 5 }).total).toBe(300);
    again.close();
  });

  it('bytes written into a page after an orderly close: found at the next open, moved aside, rebuilt empty', () => {
    filled();
    // The incidents table's root page gets a page type SQLite does not know.
    const probe = new Database(path, { readonly: true });
    const root = (
      probe.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").get() as {
        rootpage: number;
      }
    ).rootpage;
    const pageSize = Number(probe.pragma('page_size', { simple: true }));
    probe.close();
    const before = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8, 0x6b), 0, 8, (root - 1) * pageSize);
    closeSync(fd);
    expect(statSync(path).size).toBe(before);

    const store = open();
    expect(store.recoveredFrom).toMatch(/index\.sqlite\.corrupt-\d{8}-\d{6}$/);
    expect(existsSync(store.recoveredFrom!)).toBe(true);
    expect(store.list({ offset: 0, limit: 5 }).total).toBe(0);
    store.close();
  });

  it('a process killed with the index open: the next open checks (and finds the write it made)', async () => {
    filled();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-child.ts'), path, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const said = await new Promise<string>((res) =>
      child.stdout.once('data', (d: Buffer) => res(d.toString())),
    );
    expect(said.trim()).toBe('open clean');
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(`${path}-wal`)).toBe(true);

    const store = open();
    expect(store.openCheck).toEqual({ ran: true, reason: 'unclean-close' });
    expect(store.recoveredFrom).toBeNull();
    expect(store.get('from-the-child')?.title).toBe('written before the crash');
    store.close();
    // The check passed and this close was in order: the one after skips it again.
    const next = open();
    expect(next.openCheck.ran).toBe(false);
    next.close();
  });

  it('a second opener while the first is open checks; the last one out records the clean close', () => {
    filled();
    const app = open();
    expect(app.openCheck.ran).toBe(false);
    const cli = open();
    expect(cli.openCheck).toEqual({ ran: true, reason: 'unclean-close' });
    cli.close();
    expect(existsSync(closeMarkPath(path))).toBe(false);
    app.close();
    const after = open();
    expect(after.openCheck).toEqual({ ran: false, reason: 'clean' });
    after.close();
  });

  it('a week after the last full check it runs again, and the week starts over', () => {
    filled();
    const later = Date.now() + FULL_CHECK_EVERY_MS + 60_000;
    const store = open(later);
    expect(store.openCheck).toEqual({ ran: true, reason: 'check-due' });
    store.close();
    const next = open(later + 1000);
    expect(next.openCheck.ran).toBe(false);
    next.close();
  });

  it('a missing, foreign or damaged sidecar, or a file replaced by a copy, runs the check', () => {
    filled();
    rmSync(closeMarkPath(path));
    const a = open();
    expect(a.openCheck).toEqual({ ran: true, reason: 'no-close-mark' });
    a.close();
    writeFileSync(closeMarkPath(path), '{"format": "ctd-index-clean-close", "token": ');
    const b = open();
    expect(b.openCheck).toEqual({ ran: true, reason: 'no-close-mark' });
    b.close();
    const mark = JSON.parse(readFileSync(closeMarkPath(path), 'utf8')) as { token: string };
    writeFileSync(closeMarkPath(path), JSON.stringify({ ...mark, token: 'another index' }));
    const c = open();
    expect(c.openCheck).toEqual({ ran: true, reason: 'no-close-mark' });
    c.close();
    // Same bytes, another file (a backup put back): the inode and times differ.
    const copy = readFileSync(path);
    rmSync(path);
    writeFileSync(path, copy);
    const d = open();
    expect(d.openCheck).toEqual({ ran: true, reason: 'file-changed' });
    d.close();
  });

  it('a corrupt index met later in the same run voids the clean closes this process recorded', () => {
    filled();
    expect(existsSync(closeMarkPath(path))).toBe(true);
    voidCloseMarks();
    expect(existsSync(closeMarkPath(path))).toBe(false);
    const store = open();
    expect(store.openCheck.ran).toBe(true);
    store.close();
  });

  it('an index of schema 10 (before the state row) is checked, then migrated, then trusted', () => {
    const db = new Database(path);
    migrate(db, 10);
    db.close();
    const store = open();
    expect(store.openCheck).toEqual({ ran: true, reason: 'new-or-older-index' });
    store.close();
    const next = open();
    expect(next.openCheck.ran).toBe(false);
    next.close();
  });
});

describe('openCheckReason', () => {
  const identity: FileIdentity = {
    dev: '1',
    ino: '2',
    size: '4096',
    mtimeNs: '1767312000123456789',
    ctimeNs: '1767312000123456789',
    header: '0000000300000001',
  };
  const now = 1_767_312_100_000;
  const state = { sessions: 0, checkedMs: now - 1000, closeToken: 't' };
  const disk = {
    identity,
    walBytes: 0,
    mark: { format: 'ctd-index-clean-close' as const, token: 't', identity },
  };

  it('trusts only a complete, matching record', () => {
    expect(openCheckReason(state, disk, now)).toBe('clean');
    expect(openCheckReason(null, disk, now)).toBe('new-or-older-index');
    expect(openCheckReason({ ...state, sessions: 1 }, disk, now)).toBe('unclean-close');
    expect(openCheckReason(state, { ...disk, walBytes: 32 }, now)).toBe('wal-left');
    expect(openCheckReason({ ...state, closeToken: null }, disk, now)).toBe('no-close-mark');
    for (const f of ['dev', 'ino', 'size', 'mtimeNs', 'ctimeNs', 'header'] as const)
      expect(
        openCheckReason(state, { ...disk, identity: { ...identity, [f]: `${identity[f]}1` } }, now),
      ).toBe('file-changed');
    expect(openCheckReason(state, disk, now + FULL_CHECK_EVERY_MS)).toBe('check-due');
    // A clock set back: the last check "in the future" is not trusted either.
    expect(openCheckReason({ ...state, checkedMs: now + 3 * 86_400_000 }, disk, now)).toBe('check-due');
  });
});
