import type Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { removeCloseMark } from './clean-close';
import { timestamp } from './settings-file';

/**
 * Index integrity: a damaged index.sqlite must not keep failing every request. It is checked at
 * open (PRAGMA quick_check, when the last close was not in order, the file changed since or the
 * last check is a week old: clean-close.ts) and whenever SQLite reports corruption; a bad file is moved aside
 * (kept, for a bug report or a manual rescue) and a fresh index is rebuilt from the files.
 */

/** SQLite said the file is damaged or not a database at all. */
export function isCorruptError(e: unknown): boolean {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return (
    typeof code === 'string' &&
    (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB')
  );
}

/** Another process holds the index (a second `scan`, the app) longer than the busy timeout. */
export function isBusyError(e: unknown): boolean {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export class IndexCorruptError extends Error {
  readonly code = 'SQLITE_CORRUPT';
  constructor(readonly detail: string) {
    super(`The index failed its integrity check: ${detail}`);
  }
}

/**
 * `quick_check` reads every page (not the slow index cross-check of integrity_check): seconds
 * for a large index, so opening runs it only when clean-close.ts says it must. Throws
 * IndexCorruptError with SQLite's first complaint.
 */
export function checkIntegrity(db: Database.Database): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length) throw new IndexCorruptError(problems.join('; '));
}

/**
 * Renames the index (and its -wal/-shm) to `<name>.corrupt-<local time>` (a counter when that
 * exists already). Returns the new name of the main file.
 */
export function moveAside(path: string, now = new Date()): string {
  const base = `${path}.corrupt-${timestamp(now)}`;
  let aside = base;
  for (let i = 2; existsSync(aside); i++) aside = `${base}-${i}`;
  renameSync(path, aside);
  for (const ext of ['-wal', '-shm', '-journal'])
    if (existsSync(path + ext)) renameSync(path + ext, aside + ext);
  // The record of the last orderly close describes the file that is now aside.
  removeCloseMark(path);
  return aside;
}

export const BUSY_MESSAGE =
  'The incident index is busy: another CTD Workbench process (the app, or a second `scan`) is writing it. Wait for it to finish and try again, or use --db to pick another file.';

/**
 * Wraps every handler: when one fails because SQLite found the index damaged, the index is
 * moved aside and rebuilt from the files (`recover`, once however many calls fail together),
 * then the call is tried again. A second failure is reported as it is.
 */
export function guardHandlers<H extends object>(handlers: H, recover: () => Promise<void>): H {
  let running: Promise<void> | null = null;
  const recoverOnce = () => {
    running ??= recover().finally(() => {
      running = null;
    });
    return running;
  };
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    const h = fn as (req: unknown) => unknown;
    out[name] = async (req: unknown) => {
      try {
        return await h(req);
      } catch (e) {
        if (!isCorruptError(e)) throw e;
        await recoverOnce();
        return h(req);
      }
    };
  }
  return out as H;
}
