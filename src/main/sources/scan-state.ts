import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ScanResult } from '../../shared/contract/incidents';
import type { SqliteIncidentStore } from '../store/sqlite-store';
import { visitFiles, type FileVisitor, type WalkResult } from './walk';

/**
 * A rescan that finds nothing changed skips grouping (issue 15: a no-change rescan within 3x
 * of stat-ing the tree). Exact, not a guess:
 *
 * - A scan's decision (what to rebuild, what is gone) is a function of the walk (every file's
 *   path, size and mtime, in walk order, and the walk's errors), the index's state for the
 *   folder (each incident's artifacts: path, role, size, mtime), and what grouping is (this
 *   code's GROUPING_VERSION, the time zone). File contents are taken as unchanged when size
 *   and mtime are, as everywhere else in the scan.
 * - After a full scan, the index's state is read back and compared with what that scan's
 *   grouping says it should be. Only when they are the same (and nothing wrote the folder while
 *   it was read) is the pair (walk, the folder's write stamp) recorded: a second full scan of
 *   that walk on that state would find nothing to do.
 * - The write stamp (SqliteIncidentStore.folderStamp, kept by triggers since migration 13)
 *   changes with every write to the folder's state, so an unchanged stamp stands for an
 *   unchanged state without reading it (that read was a tenth of a 20,000-incident rescan).
 * - A later scan whose walk digest and stamp equal the record's therefore skips straight to
 *   the result: nothing to group, read or write. Any file added, removed, renamed or modified
 *   (size or mtime) changes the walk digest; any write to the folder's incidents (by a scan of
 *   other files, a removed folder, a nested root taking a file over) changes the stamp.
 *
 * The record lives in a small JSON file beside the index, not in it: it is a cache that is
 * checked against the index at every use (a lost, stale or foreign record only costs a full
 * scan), and a no-change rescan then writes nothing to the index (its listing, kept beside the
 * index, is written only when missing or stale: store/listing-cache.ts).
 */

/**
 * Bump when grouping (group.ts, the log sniffers, the name classifiers) may group the same files
 * differently: records made by an older grouping then no longer match, and the next scan
 * regroups. grouping-equivalence.test.ts pins the grouping output against this number.
 */
export const GROUPING_VERSION = 1;

const RECORD_FORMAT = 'ctd-workbench-scan-state';

interface FolderRecord {
  /** GROUPING_VERSION and the time zone the record was made under (scanEnv). */
  env: string;
  walk: string;
  /** The folder's write stamp when the record was made (records before stamps held a digest). */
  state: string;
  incidents: number;
}

interface RecordFile {
  format: typeof RECORD_FORMAT;
  folders: Record<string, FolderRecord>;
}

/** What the no-change check reads: the store, or a read-only probe of its index (index-probe.ts). */
export type ScanStateReader = Pick<SqliteIncidentStore, 'path' | 'folderStamp'>;

export function recordPath(store: Pick<SqliteIncidentStore, 'path'>): string {
  return `${store.path}-scans.json`;
}

/**
 * What grouping depends on besides the files: its version and the time zone (file mtimes become
 * local wall-clock times). The zone is told by its offsets every 4 days of two years (a DST rule
 * that moved by days shows) and the TZ variable; the zone's name (Intl) costs ~20 ms to ask.
 */
export function scanEnv(): string {
  let offsets = '';
  for (const year of [2010, 2024])
    for (let d = 0; d < 366; d += 4)
      offsets += `${new Date(Date.UTC(year, 0, 1 + d, 12)).getTimezoneOffset()},`;
  return `g${GROUPING_VERSION}|${process.env.TZ ?? ''}|${process.versions.tz ?? ''}|${createHash('sha256').update(offsets).digest('hex').slice(0, 16)}`;
}

/**
 * Digest of a walk: every file's path, size and mtime in walk order, then the walk's errors.
 * Fed file by file (visitFiles) or from a walk's list (walkDigest): the same digest.
 */
export class WalkHasher {
  private readonly h = createHash('sha256');
  private chunk = '';
  private files = 0;

  readonly file: FileVisitor = (path, size, mtimeMs) => {
    this.files++;
    this.chunk += `${size}\t${mtimeMs}\t${path.length}\t${path}\n`;
    if (this.chunk.length > 65536) {
      this.h.update(this.chunk);
      this.chunk = '';
    }
  };

  digest(errors: WalkResult['errors']): string {
    let tail = `${this.files}\t${errors.length}\n`;
    for (const e of errors) tail += `${e.path.length}\t${e.path}\t${e.message.length}\t${e.message}\n`;
    return this.h.update(this.chunk).update(tail).digest('hex');
  }
}

export function walkDigest(walked: WalkResult): string {
  const h = new WalkHasher();
  for (const f of walked.files) h.file(f.path, f.size, f.mtimeMs);
  return h.digest(walked.errors);
}

/** Walks a root for its digest alone (no list of files is kept). */
export async function digestFolder(root: string): Promise<{ walk: string; errors: WalkResult['errors'] }> {
  const h = new WalkHasher();
  const errors: WalkResult['errors'] = [];
  await visitFiles(root, h.file, errors);
  return { walk: h.digest(errors), errors };
}

/** One artifact as the state digests see it. */
export interface StateRow {
  path: string;
  role: string;
  size: number;
  mtimeMs: number;
}

const byPath = (a: StateRow, b: StateRow) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** One incident's part of a state digest: its id and its artifacts sorted by path. */
export function incidentBlock(id: string, rows: StateRow[]): string {
  const sorted = rows.every((r, i) => i === 0 || byPath(rows[i - 1]!, r) < 0) ? rows : [...rows].sort(byPath);
  let s = `${id}\t${rows.length}\n`;
  for (const r of sorted) s += `${r.role}\t${r.size}\t${r.mtimeMs}\t${r.path.length}\t${r.path}\n`;
  return s;
}

/**
 * Order-free digest of a set of incident blocks (sum of their SHA-256, per 32-bit lane): the
 * scan's grouping produces incidents in its own order, the index in id order.
 */
export class BlockSet {
  private readonly lanes = new Uint32Array(8);
  private n = 0;

  add(block: string): void {
    const d = createHash('sha256').update(block).digest();
    for (let i = 0; i < 8; i++) this.lanes[i] = (this.lanes[i]! + d.readUInt32BE(i * 4)) >>> 0;
    this.n++;
  }

  get size(): number {
    return this.n;
  }

  hex(): string {
    return `${this.n}:${Buffer.from(this.lanes.buffer).toString('hex')}`;
  }
}

/**
 * The index's state for a folder as the order-free digest of its incident blocks (to compare
 * with what a scan's grouping says it should be), and its number of incidents.
 */
export function stateDigest(store: SqliteIncidentStore, folder: string): { set: string; incidents: number } {
  const set = new BlockSet();
  let id: string | null = null;
  let rows: StateRow[] = [];
  const end = () => {
    if (id !== null) set.add(incidentBlock(id, rows));
    rows = [];
  };
  for (const [incidentId, path, role, size, mtimeMs] of store.folderState(folder)) {
    if (incidentId !== id) {
      end();
      id = incidentId;
    }
    if (path !== null) rows.push({ path, role: role!, size, mtimeMs });
  }
  end();
  return { set: set.hex(), incidents: set.size };
}

/**
 * A rescan whose walk and index state are those a recorded scan left (scan-state.ts): the
 * result (incident count, the walk's errors) without grouping; false when the scan must run.
 * Used by ingest.ts, and by the CLI before it loads the rest of the scan.
 */
export function unchangedScan(
  store: ScanStateReader,
  root: string,
  walk: string,
  walkErrors: WalkResult['errors'],
  result: ScanResult,
): boolean {
  const incidents = unchangedSince(store, root, walk);
  if (incidents === null) return false;
  result.incidents = incidents;
  result.errors.push(...walkErrors);
  return true;
}

function readRecords(store: Pick<SqliteIncidentStore, 'path'>): Record<string, FolderRecord> {
  try {
    const doc = JSON.parse(readFileSync(recordPath(store), 'utf8')) as Partial<RecordFile> | null;
    if (doc?.format === RECORD_FORMAT && doc.folders && typeof doc.folders === 'object') return doc.folders;
  } catch {
    // Missing or unreadable: no record, so the scan runs in full.
  }
  return {};
}

/**
 * The number of incidents in the folder when a record says a full scan of this walk would find
 * nothing to do on the index as it is now; null when the scan must run.
 */
export function unchangedSince(store: ScanStateReader, folder: string, walk: string): number | null {
  const rec = readRecords(store)[folder];
  if (!rec || rec.walk !== walk || rec.env !== scanEnv()) return null;
  const stamp = store.folderStamp(folder);
  return stamp !== null && stamp === rec.state ? rec.incidents : null;
}

/**
 * After a full scan: records (walk, the folder's write stamp) when the index holds exactly what
 * the scan's grouping says (`expected`, a BlockSet of its incidents) and nothing wrote the
 * folder while it was read back; else forgets the folder's record.
 */
export function recordScan(store: SqliteIncidentStore, folder: string, walk: string, expected: string): void {
  const stamp = store.folderStamp(folder);
  const now = stateDigest(store, folder);
  const records = readRecords(store);
  const old = records[folder];
  if (now.set === expected && stamp !== null && store.folderStamp(folder) === stamp) {
    const rec: FolderRecord = { env: scanEnv(), walk, state: stamp, incidents: now.incidents };
    if (old && old.env === rec.env && old.walk === rec.walk && old.state === rec.state) return;
    records[folder] = rec;
  } else {
    if (!old) return;
    delete records[folder];
  }
  const doc: RecordFile = { format: RECORD_FORMAT, folders: records };
  const path = recordPath(store);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, JSON.stringify(doc));
    renameSync(tmp, path);
  } catch {
    // A record that cannot be written costs the next scan its shortcut, nothing else.
  }
}
