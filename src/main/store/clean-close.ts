import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { parseJsonText } from '../../shared/text';

/**
 * When opening the index needs the full integrity check (issue 15). `PRAGMA quick_check` reads
 * every page: 3.6 s of a 20,000-incident CLI rescan, growing with the index. It runs at open
 * only when something may have damaged the file since the last check passed:
 *
 * - the last session did not end in an orderly close (a crash, a kill, power loss), or another
 *   process has the index open now (the app while the CLI runs): `integrity_state.sessions`
 *   counts sessions begun and not ended, written in a transaction at open and at close, so a
 *   crash leaves it raised (and a WAL replay cannot lose it);
 * - a write-ahead log was left behind (a session that did not close, whatever the count says);
 * - the file is not the one the last orderly close left: device, inode, size, modification
 *   and change times in nanoseconds, and SQLite's own header fields (file change counter, page
 *   count, version-valid-for). The change time moves with every write to the file and no tool
 *   can set it back, so bytes written into the file by anything else are noticed;
 * - the last full check is older than FULL_CHECK_EVERY_MS (damage no write explains: a failing
 *   disk), or the clock says it is in the future.
 *
 * That file identity is taken after the last connection closed (the close checkpoints the log
 * into the file), so it cannot be stored in the file it describes: it goes into a small
 * sidecar, `<index>-clean`, with a random token that the same close wrote into
 * integrity_state. A sidecar that does not match the index's token (an older one, another
 * file's, a hand-edited one) counts as no sidecar: the check runs. Every doubt runs the check;
 * SQLITE_CORRUPT found in use still moves the index aside and rebuilds it (integrity.ts).
 *
 * PRAGMA data_version cannot serve here: it numbers changes within one connection's life only.
 */

/** A full check at least this often, whatever the file says: a week of use, one check. */
export const FULL_CHECK_EVERY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * File times come from a clock that ticks in steps (a Linux jiffy of 1-10 ms, about 16 ms on
 * Windows).
 * A write in the same step as our close would leave the same times, so the identity is recorded
 * only once the clock is this far past the file's newest time.
 */
const TIME_STEP_MS = 20;
/** How long an orderly close waits for that, at most; past it no sidecar is written. */
const MAX_WAIT_MS = 150;

const MARK_FORMAT = 'ctd-index-clean-close';

export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  /** Hex of the SQLite header's change counter, page count, version-valid-for and version. */
  header: string;
}

interface CloseMark {
  format: typeof MARK_FORMAT;
  token: string;
  identity: FileIdentity;
}

/** What integrity_state holds (migration 11); null before that migration. */
export interface OpenState {
  sessions: number;
  checkedMs: number | null;
  closeToken: string | null;
}

export type OpenCheckReason =
  | 'clean'
  | 'new-or-older-index'
  | 'unclean-close'
  | 'wal-left'
  | 'no-close-mark'
  | 'file-changed'
  | 'check-due';

export const closeMarkPath = (dbPath: string): string => `${dbPath}-clean`;

function sqliteHeader(path: string): string | null {
  const buf = Buffer.alloc(100);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    if (readSync(fd, buf, 0, 100, 0) < 100) return null;
  } finally {
    closeSync(fd);
  }
  return Buffer.concat([buf.subarray(24, 32), buf.subarray(92, 100)]).toString('hex');
}

/** The index file as it is on disk now; null when it is missing or unreadable. */
export function fileIdentity(path: string): FileIdentity | null {
  try {
    const st = statSync(path, { bigint: true });
    return {
      dev: String(st.dev),
      ino: String(st.ino),
      size: String(st.size),
      mtimeNs: String(st.mtimeNs),
      ctimeNs: String(st.ctimeNs),
      header: sqliteHeader(path) ?? '',
    };
  } catch {
    return null;
  }
}

const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs &&
  a.header === b.header;

/** Bytes in the write-ahead log; 0 when there is none. */
export function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

export function readCloseMark(dbPath: string): CloseMark | null {
  let text: string;
  try {
    text = readFileSync(closeMarkPath(dbPath), 'utf8');
  } catch {
    return null;
  }
  let doc: Partial<CloseMark> | null | undefined;
  try {
    doc = parseJsonText(text) as Partial<CloseMark> | null | undefined;
  } catch {
    return null;
  }
  const id = doc?.identity as Partial<FileIdentity> | undefined;
  if (doc?.format !== MARK_FORMAT || typeof doc.token !== 'string' || !id) return null;
  const fields = ['dev', 'ino', 'size', 'mtimeNs', 'ctimeNs', 'header'] as const;
  if (!fields.every((f) => typeof id[f] === 'string')) return null;
  return { format: MARK_FORMAT, token: doc.token, identity: id as FileIdentity };
}

/** Sidecars this process wrote: a corrupt index met later in the same run voids them. */
const written = new Set<string>();

export function removeCloseMark(dbPath: string): void {
  written.delete(dbPath);
  rmSync(closeMarkPath(dbPath), { force: true });
}

/**
 * SQLite reported the index damaged after this process closed it in order (the CLI's error path):
 * the next open must not trust those closes.
 */
export function voidCloseMarks(): void {
  for (const p of [...written]) removeCloseMark(p);
}

/** What everything on disk says before the index is opened. */
export interface OnDisk {
  identity: FileIdentity | null;
  walBytes: number;
  mark: CloseMark | null;
}

export function onDisk(dbPath: string): OnDisk {
  return { identity: fileIdentity(dbPath), walBytes: walBytes(dbPath), mark: readCloseMark(dbPath) };
}

/** Why opening must run the full check, or 'clean' when nothing says it must. */
export function openCheckReason(state: OpenState | null, disk: OnDisk, nowMs: number): OpenCheckReason {
  if (!state || state.checkedMs === null) return 'new-or-older-index';
  if (state.sessions > 0) return 'unclean-close';
  if (disk.walBytes > 0) return 'wal-left';
  if (!disk.mark || !state.closeToken || disk.mark.token !== state.closeToken) return 'no-close-mark';
  if (!disk.identity || !sameIdentity(disk.identity, disk.mark.identity)) return 'file-changed';
  if (nowMs - state.checkedMs > FULL_CHECK_EVERY_MS || state.checkedMs > nowMs + 24 * 60 * 60 * 1000)
    return 'check-due';
  return 'clean';
}

/** integrity_state, or null when the index predates it (or is new). */
export function readOpenState(db: Database.Database): OpenState | null {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'integrity_state'")
    .get();
  if (!has) return null;
  const r = db.prepare('SELECT sessions, checked_ms, close_token FROM integrity_state WHERE id = 1').get() as
    { sessions: number; checked_ms: number | null; close_token: string | null } | undefined;
  if (!r) return null;
  return { sessions: Number(r.sessions), checkedMs: r.checked_ms, closeToken: r.close_token };
}

/**
 * A session begins (after migrating): counted, the close token cleared. `checkedMs` when the full
 * check just passed: the count starts again from this session (a crash counted before is
 * answered by that check). A process still open then drops out of the count, but not out of
 * sight: while it runs the write-ahead log exists, so no close records the file as clean
 * (recordCleanClose) and the next open checks ('wal-left') until that process closes in order.
 */
export function beginSession(db: Database.Database, checkedMs: number | null): void {
  db.transaction(() => {
    if (checkedMs !== null)
      db.prepare(
        `INSERT INTO integrity_state (id, sessions, checked_ms) VALUES (1, 1, ?)
         ON CONFLICT (id) DO UPDATE SET sessions = 1, checked_ms = excluded.checked_ms, close_token = NULL`,
      ).run(checkedMs);
    else
      db.prepare('UPDATE integrity_state SET sessions = sessions + 1, close_token = NULL WHERE id = 1').run();
  }).immediate();
}

/**
 * An orderly close, before the connection closes: one session fewer. Returns the token to write
 * into the sidecar when this was the last session, else null. Never throws: a close that cannot
 * record itself (busy, damaged) leaves the count raised, and the next open checks.
 */
export function endSession(db: Database.Database): string | null {
  try {
    db.pragma('busy_timeout = 5000');
    return db
      .transaction(() => {
        const r = db.prepare('SELECT sessions FROM integrity_state WHERE id = 1').get() as
          { sessions: number } | undefined;
        if (!r) return null;
        const left = Math.max(0, Number(r.sessions) - 1);
        const token = left === 0 ? randomBytes(16).toString('hex') : null;
        db.prepare('UPDATE integrity_state SET sessions = ?, close_token = ? WHERE id = 1').run(left, token);
        return token;
      })
      .immediate();
  } catch {
    return null;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * After the last connection closed: the sidecar with the file as the close left it. Waits (at
 * most MAX_WAIT_MS) until the clock has stepped past the file's times, so that a later write
 * cannot carry the same ones. Filesystems with whole-second times (FAT) get no sidecar: the
 * check runs at every open there, as before.
 */
export function recordCleanClose(dbPath: string, token: string): void {
  const until = Date.now() + MAX_WAIT_MS;
  try {
    for (;;) {
      const id = fileIdentity(dbPath);
      if (!id || walBytes(dbPath) > 0) break;
      const second = 1_000_000_000n;
      if (BigInt(id.mtimeNs) % second === 0n && BigInt(id.ctimeNs) % second === 0n) break;
      const newestMs = Number(
        (BigInt(id.mtimeNs) > BigInt(id.ctimeNs) ? BigInt(id.mtimeNs) : BigInt(id.ctimeNs)) / 1_000_000n,
      );
      const now = Date.now();
      if (now >= newestMs + TIME_STEP_MS) {
        const tmp = `${closeMarkPath(dbPath)}.tmp-${process.pid}`;
        writeFileSync(tmp, JSON.stringify({ format: MARK_FORMAT, token, identity: id } satisfies CloseMark));
        renameSync(tmp, closeMarkPath(dbPath));
        written.add(dbPath);
        return;
      }
      if (now >= until) break;
      sleepMs(Math.min(newestMs + TIME_STEP_MS - now, until - now));
    }
  } catch {
    // No sidecar: the next open checks.
  }
  if (existsSync(closeMarkPath(dbPath))) removeCloseMark(dbPath);
}
