import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StoreErrorCode } from '../../shared/contract/index';
import type { ListQuery } from '../../shared/contract/incidents';
import type {
  Verdict,
  Artifact,
  ArtifactRole,
  IncidentDetail,
  IncidentKind,
  IncidentSource,
  IncidentStatus,
  IncidentSummary,
  ParseStatus,
} from '../../shared/domain/incident';
import { storeSchemas } from './store-schemas';
import {
  folderStampOf,
  linesInFolders,
  listingStampOf,
  SUMMARY_COLUMNS,
  summariesInFolders,
  toSummary,
} from './folder-listing';
import { incidentGame } from '../../shared/domain/game-of';
import type { GameFamily } from '../../shared/domain/rules';
import type { TrendsIndex } from '../../shared/domain/trends-index';
import { asReadable, asWritable, statement, type ReadableDB, type WritableDB } from './db';
import type { IncidentStore } from './incident-store';
import { trendsIndex } from './trends-queries';
import { migrate } from './migrations';
import { SetupStore } from './setup-store';
import { toFtsQuery } from './fts-query';
import { BUSY_MESSAGE, checkIntegrity, isBusyError, isCorruptError, moveAside } from './integrity';
import {
  beginSession,
  endSession,
  onDisk,
  openCheckReason,
  readOpenState,
  recordCleanClose,
  type OpenCheckReason,
} from './clean-close';
import { SettingsFile } from './settings-file';
import { ConfirmedCauseStore } from './confirmed-causes';

/** Why the index could not be opened; the message is meant for the user. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface IncidentRow {
  id: string;
  groupKey: string;
  kind: IncidentKind;
  source: IncidentSource;
  capturedAt: string;
  capturedMs: number;
  folder: string;
  title: string;
  signature: string | null;
  /** Level two of the signature (analysis/signature/culprit.ts). */
  culpritKey?: string | null;
  verdict: Verdict | null;
  hasErrors: boolean;
  artifactCount: number;
  /** Computed by the store from verdict, modules and file names when left out. */
  game?: GameFamily | null;
}

export interface ArtifactRow {
  role: ArtifactRole;
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string | null;
  parseStatus: ParseStatus;
  parseError: string | null;
  analyzer: string | null;
  factsJson: string | null;
}

/** One incident for writeIncidents. */
export interface IncidentWrite {
  inc: IncidentRow;
  artifacts: ArtifactRow[];
  modules: { name: string; role: string; hits: number }[];
  body: string;
  /** Writes that belong with this incident, run right after its rows (in a savepoint). */
  after?: () => void;
}

/** An incident's search text row, written after its other rows (writeIncidents). */
interface SearchWrite {
  oldKey: number | null;
  key: number;
  title: string;
  body: string;
}

/** The index file: `dbPath` when given, else index.sqlite in the data folder. */
export function indexFile(dataDir: string, dbPath?: string): string {
  return dbPath ? resolve(dbPath) : join(dataDir, 'index.sqlite');
}

export interface StoredArtifactState {
  id: number;
  incidentId: string;
  path: string;
  role: ArtifactRole;
  size: number;
  mtimeMs: number;
}

interface TriageEntry {
  status: IncidentStatus;
  notes: string;
}

type Row = Record<string, unknown>;

/** Tie slots per capture millisecond in `search_key` (migration 3). */
const SEARCH_SLOTS = 1024;
/** Capture times are clamped to ±2^43 ms (about ±278 years) so keys stay exact JS numbers. */
const MAX_KEY_MS = 2 ** 43 - 1;

/** Exported for the test of their query plans. */
export { FOLDERS_LISTING_SQL, FOLDER_LISTING_SQL } from './folder-listing';

function toArtifact(r: Row): Artifact {
  return {
    id: Number(r.id),
    incidentId: r.incident_id as string,
    role: r.role as ArtifactRole,
    path: r.path as string,
    name: r.name as string,
    size: Number(r.size),
    mtimeMs: Number(r.mtime_ms),
    sha256: (r.sha256 as string | null) ?? null,
    parseStatus: r.parse_status as ParseStatus,
    parseError: (r.parse_error as string | null) ?? null,
  };
}

function isSqliteError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

/**
 * Why the index failed, when it did: a StoreError from open, or SQLite reporting a lock or a
 * damaged file during a query. Null for anything else (dispatch maps those itself).
 */
export function storeErrorCode(e: unknown): StoreErrorCode | null {
  if (e instanceof StoreError) return e.code;
  if (!isSqliteError(e)) return null;
  if (e.code.startsWith('SQLITE_BUSY') || e.code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (e.code.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB') return 'corrupt';
  return null;
}

export interface StoreOpenOptions {
  /** How long a statement waits for another process's write (a second `scan`) before failing. */
  busyTimeoutMs?: number;
  /** The clock the "full check due" rule reads (tests move it). */
  now?: () => number;
}

/** Whether opening ran the full integrity check, and why (clean-close.ts). */
export interface OpenCheck {
  ran: boolean;
  reason: OpenCheckReason;
}

/** A second process writing the index (a CLI scan while the app scans) waits this long. */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/**
 * The SQLite index. Opening handles the failures a user can hit: another process holding the
 * file locked (clear message, nothing touched) and a damaged file, found by SQLite or by the
 * integrity check at open (moved aside, kept with a timestamp, a fresh index created; the
 * caller rescans, since files are the truth). recover() does the same for damage found in use.
 * Settings live beside it in settings.json, so losing the index never loses them.
 *
 * Two connections: the writer (migrations, the ingest pipeline, triage) and a read-only one
 * every query for the UI, the CLI and trends runs on, so a read path cannot write
 * (store/db.ts). Reads the writer makes for itself (what a rescan compares against, the slot a
 * new incident takes) stay on the writer. No SQL runs outside store/: callers use the methods.
 */
export class SqliteIncidentStore implements IncidentStore {
  private db: WritableDB;
  private reader: ReadableDB;
  // Both set by openCauses() (at open and after recover()).
  trends!: TrendsIndex;
  /** Set when a corrupt index was moved aside (at open, or by recover()). */
  recoveredFrom: string | null;
  /** Whether the last open ran the full integrity check, and why. */
  openCheck: OpenCheck;
  readonly settings: SettingsFile;
  /** Setup snapshots, sessions and mods per incident (setup-store.ts); renewed by recover(). */
  setup: SetupStore;
  /** Confirmed causes (the player's knowledge; mirrored to a JSON file, see confirmed-causes.ts). */
  causes!: ConfirmedCauseStore;
  private readonly triagePath: string;
  private triage: Record<string, TriageEntry>;
  private readonly counts = new Map<string, { version: string; n: number }>();

  static open(path: string, dataDir: string, opts: StoreOpenOptions = {}): SqliteIncidentStore {
    mkdirSync(dirname(path), { recursive: true });
    const { db, check, recoveredFrom } = openChecked(path, opts);
    return new SqliteIncidentStore(db, check, path, dataDir, recoveredFrom, opts);
  }

  private constructor(
    db: Database.Database,
    check: OpenCheck,
    readonly path: string,
    private readonly dataDir: string,
    recoveredFrom: string | null,
    private readonly opts: StoreOpenOptions,
  ) {
    this.db = asWritable(db);
    this.openCheck = check;
    this.recoveredFrom = recoveredFrom;
    this.settings = new SettingsFile(join(dataDir, 'settings.json'));
    this.triagePath = join(dataDir, 'triage.json');
    this.triage = readTriage(this.triagePath);
    this.moveSettingsOut();
    this.backfillSearchKeys();
    this.reader = this.openReader(db);
    this.setup = new SetupStore(this.db, this.reader);
    this.openCauses();
  }

  private openReader(writer: Database.Database): ReadableDB {
    try {
      return asReadable(
        new Database(this.path, {
          readonly: true,
          fileMustExist: true,
          timeout: this.opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
        }),
      );
    } catch (e) {
      writer.close();
      throw e;
    }
  }

  /**
   * The index was found damaged while in use: close it, move it aside, open a fresh one (the
   * caller rescans). Returns where the damaged file went.
   */
  recover(): string {
    this.counts.clear();
    // Not an orderly close: nothing about this file is recorded as clean.
    if (this.reader.open) this.reader.close();
    if (this.db.open) this.db.close();
    const aside = moveAside(this.path);
    const { db, check } = openDb(this.path, this.opts);
    this.db = asWritable(db);
    this.openCheck = check;
    this.recoveredFrom = aside;
    this.backfillSearchKeys();
    this.reader = this.openReader(db);
    this.setup = new SetupStore(this.db, this.reader);
    this.openCauses();
    return aside;
  }

  /** Settings kept in the index by older versions move to settings.json once (the file wins). */
  private moveSettingsOut(): void {
    if (this.settings.exists()) return;
    let rows: Row[];
    try {
      rows = this.db.prepare('SELECT key, value_json FROM settings').all() as Row[];
    } catch {
      return;
    }
    const values: Record<string, unknown> = {};
    for (const r of rows) {
      try {
        values[r.key as string] = JSON.parse(r.value_json as string);
      } catch {
        // A damaged value: its default applies.
      }
    }
    if (rows.length) this.settings.setMany(values);
  }

  /** Confirmed causes and the trends that read their fix points, on the current connections. */
  private openCauses(): void {
    this.causes = new ConfirmedCauseStore(this.db, this.reader, join(this.dataDir, 'confirmed-causes.json'));
    this.trends = { ...trendsIndex(this.reader), bucketFixPoints: () => this.causes.fixPoints() };
  }

  list(query: ListQuery): { total: number; items: IncidentSummary[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    let from = 'incidents i';
    const fts = query.search ? toFtsQuery(query.search) : null;
    if (fts) {
      from = 'incident_fts f JOIN incidents i ON i.search_key = f.rowid';
      where.push('incident_fts MATCH @fts');
      params.fts = fts;
    }
    for (const column of ['kind', 'source', 'status', 'game'] as const) {
      const value = query[column];
      if (value) {
        where.push(`i.${column} = @${column}`);
        params[column] = value;
      }
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Search alone is counted on the FTS table without the join.
    const countFrom = fts && where.length === 1 ? 'incident_fts' : from;
    const total = this.countCached(`SELECT count(*) AS n FROM ${countFrom} ${whereSql}`, params);
    const order = fts ? 'f.rowid DESC' : 'i.search_key DESC';
    const rows = this.read(
      `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit: query.limit, offset: query.offset }) as Row[];
    return { total, items: rows.map(toSummary) };
  }

  /**
   * The list asks for the total with every page it fetches; a broad search over 100,000
   * incidents takes milliseconds to count, so the count is kept until the next write.
   */
  private countCached(sqlText: string, params: Record<string, unknown>): number {
    const key = `${sqlText}\u0000${JSON.stringify(params)}`;
    const version = this.dataVersion();
    const hit = this.counts.get(key);
    if (hit && hit.version === version) return hit.n;
    const n = Number((this.read(sqlText).get(params) as Row).n);
    if (this.counts.size >= 64) this.counts.clear();
    this.counts.set(key, { version, n });
    return n;
  }

  /** Changes since the read connection last looked: by the writer or by another process (a CLI scan). */
  private dataVersion(): string {
    return String(this.reader.pragma('data_version', { simple: true }));
  }

  get(id: string): IncidentDetail | null {
    const r = this.read(
      `SELECT ${SUMMARY_COLUMNS}, i.notes, i.verdict_json FROM incidents i WHERE i.id = ?`,
    ).get(id) as Row | undefined;
    if (!r) return null;
    const artifacts = (
      this.read('SELECT * FROM artifacts WHERE incident_id = ? ORDER BY role, name').all(id) as Row[]
    ).map(toArtifact);
    let verdict: Verdict | null = null;
    if (typeof r.verdict_json === 'string') {
      verdict = storeSchemas().verdict(JSON.parse(r.verdict_json));
    }
    return { ...toSummary(r), verdict, artifacts, notes: (r.notes as string) ?? '' };
  }

  getArtifact(id: number): Artifact | null {
    const r = this.read('SELECT * FROM artifacts WHERE id = ?').get(id) as Row | undefined;
    return r ? toArtifact(r) : null;
  }

  incidentIdOfArtifact(path: string): string | null {
    const r = this.read('SELECT incident_id FROM artifacts WHERE path = ?').get(path) as Row | undefined;
    return r ? (r.incident_id as string) : null;
  }

  incidentIdsByPrefix(prefix: string, limit: number): string[] {
    // LIKE wildcards in the prefix would match more than the prefix says.
    return (
      this.read('SELECT id FROM incidents WHERE id LIKE ? LIMIT ?').all(
        `${prefix.replace(/[%_]/g, '')}%`,
        limit,
      ) as Row[]
    ).map((r) => r.id as string);
  }

  incidentsInFolder(folder: string): IncidentSummary[] {
    return (
      this.read(
        `SELECT ${SUMMARY_COLUMNS} FROM incidents i WHERE i.folder = ? ORDER BY i.search_key DESC`,
      ).all(folder) as Row[]
    ).map(toSummary);
  }

  /** The incidents of several scanned folders, newest first, streamed (folder-listing.ts). */
  incidentsInFolders(folders: readonly string[]): Generator<IncidentSummary, void, undefined> {
    return summariesInFolders(this.reader, folders);
  }

  /** incidentsInFolders as the CLI's listing lines (listing-line.ts), each with its line break. */
  listingLinesInFolders(folders: readonly string[]): Generator<string, void, undefined> {
    return linesInFolders(this.reader, folders);
  }

  /** The folders' listing stamp (migration 14; folder-listing.ts says what it means). */
  listingStamp(folder: string): string | null {
    return listingStampOf(this.reader, folder);
  }

  /** The incidents table's largest rowid: rowids only grow for inserts (a rescan updates in place). */
  lastIncidentRowid(): number {
    return Number((this.read('SELECT coalesce(max(rowid), 0) AS m FROM incidents').get() as Row).m);
  }

  /** The player's own crashes and hangs inserted after `rowid`, captured at `sinceMs` or later, newest first. */
  newOwnIncidents(
    rowid: number,
    sinceMs: number,
  ): { id: string; kind: IncidentKind; title: string; game: GameFamily | null }[] {
    return (
      this.read(
        `SELECT id, kind, title, game FROM incidents
         WHERE rowid > @rowid AND kind IN ('crash', 'hang') AND source <> 'bundle' AND captured_ms >= @sinceMs
         ORDER BY captured_ms DESC`,
      ).all({ rowid, sinceMs }) as Row[]
    ).map((r) => ({
      id: r.id as string,
      kind: r.kind as IncidentKind,
      title: r.title as string,
      game: (r.game as GameFamily | null) ?? null,
    }));
  }

  getFacts(artifactId: number): { analyzer: string; facts: unknown } | null {
    const r = this.read('SELECT analyzer, facts_json FROM artifacts WHERE id = ?').get(artifactId) as
      Row | undefined;
    if (!r || typeof r.analyzer !== 'string') return null;
    // facts_json holds the analyzer's whole output; callers want its `facts`.
    const out =
      typeof r.facts_json === 'string' ? (JSON.parse(r.facts_json) as { facts?: unknown } | null) : null;
    return { analyzer: r.analyzer, facts: out?.facts ?? null };
  }

  setStatus(id: string, status: IncidentStatus, notes?: string): boolean {
    const res =
      notes === undefined
        ? this.sql('UPDATE incidents SET status = ? WHERE id = ?').run(status, id)
        : this.sql('UPDATE incidents SET status = ?, notes = ? WHERE id = ?').run(status, notes, id);
    if (res.changes === 0) return false;
    const prev = this.triage[id];
    this.triage[id] = { status, notes: notes ?? prev?.notes ?? '' };
    writeTriage(this.triagePath, this.triage);
    return true;
  }

  getSetting<T>(key: string, fallback: T): T {
    return this.settings.get(key, fallback);
  }

  setSetting(key: string, value: unknown): void {
    this.settings.set(key, value);
  }

  // ---- writer side, used by the ingest pipeline only ----

  /**
   * Every artifact's (path, size, mtime) under a folder, to decide what changed; row by row, so
   * a rescan of 200,000 files never holds them all as rows (issue 15). Nothing else may run on
   * the writer until the iteration ends.
   */
  *artifactStates(folder: string): Generator<StoredArtifactState, void, undefined> {
    // Rows as arrays: better-sqlite3 builds no keyed object per row (a third of this query's
    // time at 40,000 artifacts).
    const rows = this.sql(
      `SELECT a.id, a.incident_id, a.path, a.role, a.size, a.mtime_ms FROM artifacts a JOIN incidents i ON i.id = a.incident_id WHERE i.folder = ?`,
    )
      .raw()
      .iterate(folder) as IterableIterator<unknown[]>;
    for (const [id, incidentId, path, role, size, mtimeMs] of rows)
      yield {
        id: Number(id),
        incidentId: incidentId as string,
        path: path as string,
        role: role as ArtifactRole,
        size: Number(size),
        mtimeMs: Number(mtimeMs),
      };
  }

  /**
   * A folder's incidents in id order, each with its artifacts' (path, role, size, mtime); an
   * incident without artifacts is one row with a null path. What a rescan compares with its
   * record of the last scan (sources/scan-state.ts). Read-only, row by row, as artifactStates.
   */
  *folderState(
    folder: string,
  ): Generator<[string, string | null, string | null, number, number], void, undefined> {
    const rows = this.sql(
      `SELECT i.id, a.path, a.role, a.size, a.mtime_ms FROM incidents i LEFT JOIN artifacts a ON a.incident_id = i.id
       WHERE i.folder = ? ORDER BY i.id`,
    )
      .raw()
      .iterate(folder) as IterableIterator<unknown[]>;
    for (const [id, path, role, size, mtimeMs] of rows)
      yield [id as string, path as string | null, role as string | null, Number(size), Number(mtimeMs)];
  }

  /** The folder's write stamp (migration 13; folder-listing.ts says what it means). */
  folderStamp(folder: string): string | null {
    // On the writer: a scan reads it back inside its own writes (scan-state.ts).
    return folderStampOf(this.db, folder);
  }

  incidentIdsInFolder(folder: string): string[] {
    return this.sql('SELECT id FROM incidents WHERE folder = ?').pluck().all(folder) as string[];
  }

  /** Stored analyzer output of unchanged artifacts, so a rescan does not re-read their files. */
  storedArtifact(path: string): (ArtifactRow & { incidentId: string }) | null {
    const r = this.sql('SELECT * FROM artifacts WHERE path = ?').get(path) as Row | undefined;
    if (!r) return null;
    // The artifact's columns as toArtifact reads them, without its row id.
    const { id: _id, ...artifact } = toArtifact(r);
    return {
      ...artifact,
      analyzer: (r.analyzer as string | null) ?? null,
      factsJson: (r.facts_json as string | null) ?? null,
    };
  }

  /** Replaces one incident and its artifacts, modules and search text atomically. */
  writeIncident(
    inc: IncidentRow,
    artifacts: ArtifactRow[],
    modules: { name: string; role: string; hits: number }[],
    searchBody: string,
  ): void {
    this.writeSearch(this.writeRows({ inc, artifacts, modules, body: searchBody }));
  }

  /**
   * Writes a batch of incidents in one transaction, each with the writes that belong with it
   * (`after`, e.g. its mod setup: run right after its own rows, in a savepoint of its own, so
   * a failing one is rolled back alone and does not stop the batch). The search text goes in
   * last: FTS5 flushes what it holds to disk at every statement savepoint once it has been
   * written in a transaction, so writing it between the other rows made one FTS segment per
   * incident (most of a cold scan's SQLite time, issue 15). The rows are the same as
   * writeIncident's, one by one.
   */
  writeIncidents(batch: readonly IncidentWrite[]): void {
    if (batch.length === 0) return;
    // The folder-stamp triggers (migration 13) make each incident and artifact write touch two
    // tables, so SQLite keeps a statement journal for it; in a temp file that was most of what
    // the triggers cost a cold scan (2,000 incidents: +160 ms, in memory +0 to +60 ms). A batch's
    // statements each write one incident's rows, so their journals stay small in memory; other
    // writes (clear, large deletes) keep temp files. Not inside a caller's transaction: SQLite
    // does not allow the change there.
    const own = !this.db.inTransaction;
    if (own) this.db.pragma('temp_store = MEMORY');
    try {
      this.transaction(() => {
        const search: SearchWrite[] = [];
        for (const w of batch) {
          search.push(this.writeRows(w));
          if (w.after) {
            try {
              this.db.transaction(w.after)();
            } catch {
              // Rolled back to its savepoint: what comes with an incident must not stop a scan.
            }
          }
        }
        for (const s of search) this.writeSearch(s);
      });
    } finally {
      if (own) this.db.pragma('temp_store = DEFAULT');
    }
  }

  /** The incident's search text: the old row (by its key) out, the new one in. */
  private writeSearch(s: SearchWrite): void {
    if (s.oldKey != null) this.sql('DELETE FROM incident_fts WHERE rowid = ?').run(s.oldKey);
    this.sql('INSERT INTO incident_fts (rowid, title, body) VALUES (?, ?, ?)').run(s.key, s.title, s.body);
  }

  /** Every row of one incident except its search text, which it returns for writeSearch. */
  private writeRows({ inc, artifacts, modules, body: searchBody }: IncidentWrite): SearchWrite {
    const t = this.triage[inc.id];
    const existing = this.sql(
      'SELECT captured_ms, search_key, status, notes FROM incidents WHERE id = ?',
    ).get(inc.id) as Row | undefined;
    const status = (existing?.status as string | undefined) ?? t?.status ?? 'new';
    const notes = (existing?.notes as string | undefined) ?? t?.notes ?? '';
    if (existing) {
      this.sql('DELETE FROM artifacts WHERE incident_id = ?').run(inc.id);
      this.sql('DELETE FROM incident_modules WHERE incident_id = ?').run(inc.id);
      this.sql('DELETE FROM module_participation WHERE incident_id = ?').run(inc.id);
    }
    const keepKey = existing?.search_key != null && Number(existing.captured_ms) === inc.capturedMs;
    const searchKey = keepKey ? Number(existing.search_key) : this.freeSearchKey(inc.capturedMs);
    const game =
      inc.game !== undefined
        ? inc.game
        : incidentGame({
            verdictGame: inc.verdict?.game,
            source: inc.source,
            modules: modules.map((m) => m.name),
            files: artifacts.map((a) => a.name),
          });
    this.sql(
      `INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title, signature, status, notes, verdict_json, has_errors, artifact_count, search_key, headline, cause_confidence, game, culprit_key)
         VALUES (@id, @groupKey, @kind, @source, @capturedAt, @capturedMs, @folder, @title, @signature, @status, @notes, @verdictJson, @hasErrors, @artifactCount, @searchKey, @headline, @causeConfidence, @game, @culpritKey)
         ON CONFLICT(id) DO UPDATE SET group_key = excluded.group_key, kind = excluded.kind, source = excluded.source,
           captured_at = excluded.captured_at, captured_ms = excluded.captured_ms, folder = excluded.folder, title = excluded.title,
           signature = excluded.signature, verdict_json = excluded.verdict_json, has_errors = excluded.has_errors,
           artifact_count = excluded.artifact_count, search_key = excluded.search_key,
           headline = excluded.headline, cause_confidence = excluded.cause_confidence, game = excluded.game, culprit_key = excluded.culprit_key`,
    ).run({
      ...inc,
      culpritKey: inc.culpritKey ?? null,
      searchKey,
      status,
      notes,
      verdictJson: inc.verdict ? JSON.stringify(inc.verdict) : null,
      hasErrors: inc.hasErrors ? 1 : 0,
      headline: inc.verdict?.probableCause?.headline ?? null,
      causeConfidence: inc.verdict?.probableCause?.confidence ?? null,
      game,
    });
    // A file can move between incidents (e.g. a manifest appears and claims a dump): the
    // path's row is taken over rather than deleted and inserted again.
    const ins = this.sql(
      `INSERT INTO artifacts (incident_id, role, path, name, size, mtime_ms, sha256, parse_status, parse_error, analyzer, facts_json)
       VALUES (@incidentId, @role, @path, @name, @size, @mtimeMs, @sha256, @parseStatus, @parseError, @analyzer, @factsJson)
       ON CONFLICT(path) DO UPDATE SET incident_id = excluded.incident_id, role = excluded.role, name = excluded.name,
         size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256, parse_status = excluded.parse_status,
         parse_error = excluded.parse_error, analyzer = excluded.analyzer, facts_json = excluded.facts_json`,
    );
    for (const a of artifacts) ins.run({ ...a, incidentId: inc.id });
    // Several artifacts name the same module (dump, crash log, summary): one row each.
    const merged = new Map<string, { name: string; role: string; hits: number }>();
    const participation = new Map<string, { name: string; faulting: boolean }>();
    for (const m of modules) {
      const lower = m.name.toLowerCase();
      const key = `${lower}\u0000${m.role}`;
      const had = merged.get(key);
      if (had) had.hits += m.hits;
      else merged.set(key, { ...m });
      const p = participation.get(lower);
      if (p) p.faulting ||= m.role === 'faulting';
      else participation.set(lower, { name: m.name, faulting: m.role === 'faulting' });
    }
    const insMod = this.sql(
      `INSERT INTO incident_modules (incident_id, module, role, hits) VALUES (?, ?, ?, ?)
       ON CONFLICT(incident_id, module, role) DO UPDATE SET hits = hits + excluded.hits`,
    );
    for (const m of merged.values()) insMod.run(inc.id, m.name, m.role, m.hits);
    // Trends count "in how many crashes was X (and was it faulting)" from this table alone.
    const insPart = this.sql(
      `INSERT INTO module_participation (incident_id, module, faulting, captured_ms, kind, source, game) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (incident_id, module) DO UPDATE SET faulting = max(faulting, excluded.faulting)`,
    );
    for (const p of participation.values())
      insPart.run(inc.id, p.name, p.faulting ? 1 : 0, inc.capturedMs, inc.kind, inc.source, game);
    return {
      oldKey: existing?.search_key != null ? Number(existing.search_key) : null,
      key: searchKey,
      title: inc.title,
      body: searchBody,
    };
  }

  /**
   * The lowest free key in this capture millisecond's slot range (see migration 3). The
   * list's order is the key's order: newest capture first, later-indexed first on a tie.
   */
  private freeSearchKey(capturedMs: number): number {
    const ms = Math.max(-MAX_KEY_MS, Math.min(MAX_KEY_MS, Math.trunc(capturedMs) || 0));
    const base = ms * SEARCH_SLOTS;
    const r = this.sql(
      'SELECT max(search_key) AS m FROM incidents WHERE search_key >= ? AND search_key < ?',
    ).get(base, base + SEARCH_SLOTS) as { m: number | null };
    if (r.m === null) return base;
    let key = r.m + 1;
    if (key < base + SEARCH_SLOTS) return key;
    // A full slot range (1,024 incidents in one millisecond) spills into the next ones, at the
    // first free key. The search resumes where this store's last spill from the same range
    // ended: from the range's end, each spill stepped over all the spills before it, k²/2
    // look-ups for k of them (12,000 WER dumps sharing one mtime, as files unpacked from one
    // archive can: ~60 million, a fifth of a 60,000-incident cold scan's main thread). Keys it
    // skips were taken when it passed them; one freed since stays free, which no order needs.
    key = Math.max(key, this.spillFrom.get(base) ?? key);
    while (this.sql('SELECT 1 FROM incidents WHERE search_key = ?').get(key)) key++;
    this.spillFrom.set(base, key + 1);
    return key;
  }

  /** Per full slot range (its base key): where the next spill's search for a free key starts. */
  private readonly spillFrom = new Map<number, number>();

  /**
   * Gives rows without a search key (an index migrated from schema 2, or rows a tool inserted
   * by hand) their key, and moves schema 2's search text over in one pass.
   */
  private backfillSearchKeys(): void {
    const legacy = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'incident_fts_v2'").get() as
      Row | undefined;
    const missing = this.db
      .prepare('SELECT id, captured_ms FROM incidents WHERE search_key IS NULL ORDER BY captured_ms, id')
      .all() as Row[];
    if (!legacy && missing.length === 0) return;
    this.transaction(() => {
      const set = this.sql('UPDATE incidents SET search_key = ? WHERE id = ?');
      for (const r of missing) set.run(this.freeSearchKey(Number(r.captured_ms)), r.id);
      if (legacy) {
        this.db.exec(`
          INSERT INTO incident_fts (rowid, title, body)
            SELECT i.search_key, f.title, f.body FROM incident_fts_v2 f JOIN incidents i ON i.id = f.incident_id;
          DROP TABLE incident_fts_v2;`);
      }
    });
  }

  deleteIncidents(ids: string[]): void {
    const delFts = this.sql(
      'DELETE FROM incident_fts WHERE rowid = (SELECT search_key FROM incidents WHERE id = ?)',
    );
    const del = this.sql('DELETE FROM incidents WHERE id = ?');
    for (const id of ids) {
      delFts.run(id);
      del.run(id);
    }
  }

  /** Empties the index (files are the truth: a scan refills it); triage stays in its sidecar. */
  clear(): void {
    this.transaction(() => {
      this.db.exec(
        'DELETE FROM incident_fts; DELETE FROM incident_modules; DELETE FROM artifacts; DELETE FROM incidents;',
      );
    });
  }

  /** A statement on the writer. */
  private sql(text: string): Database.Statement {
    return statement(this.db, text);
  }

  /** A statement on the read-only connection. */
  private read(text: string): Database.Statement {
    return statement(this.reader, text);
  }

  /**
   * A write transaction, taking the write lock at BEGIN (IMMEDIATE): a deferred one that reads
   * first cannot wait for another process's write (SQLite answers "busy" at once to avoid a
   * deadlock), an immediate one waits up to the busy timeout like any other statement.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * An orderly close: the session is counted out, and the last one to close records the file as
   * it left it, so the next open can skip the full check (clean-close.ts).
   */
  close(): void {
    if (this.reader.open) this.reader.close();
    if (!this.db.open) return;
    const token = endSession(this.db);
    this.db.close();
    if (token) recordCleanClose(this.path, token);
  }
}

/** Opens the index, checking it; a damaged one is moved aside and replaced by a fresh one. */
function openChecked(
  path: string,
  opts: StoreOpenOptions,
): { db: Database.Database; check: OpenCheck; recoveredFrom: string | null } {
  try {
    return { ...openDb(path, opts), recoveredFrom: null };
  } catch (e) {
    if (isCorruptError(e)) {
      const aside = moveAside(path);
      return { ...openDb(path, opts), recoveredFrom: aside };
    }
    if (isBusyError(e)) throw new StoreError('locked', `${BUSY_MESSAGE} (The index: ${path})`);
    if (e instanceof StoreError) throw e;
    throw new StoreError('io', `Cannot open the incident index ${path}: ${(e as Error).message}`);
  }
}

/**
 * Opens the index: the full integrity check when clean-close.ts says something may have damaged
 * it since the last one passed, migrations, and the session counted in.
 */
function openDb(path: string, opts: StoreOpenOptions = {}): { db: Database.Database; check: OpenCheck } {
  // Before SQLite touches anything: the file, its log and the sidecar as the last close left them.
  const disk = onDisk(path);
  const db = new Database(path, { timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const now = (opts.now ?? Date.now)();
    const reason = openCheckReason(readOpenState(db), disk, now);
    if (reason !== 'clean') checkIntegrity(db);
    try {
      migrate(db);
    } catch (e) {
      if (e instanceof Error && !isSqliteError(e)) throw new StoreError('newer_schema', e.message);
      throw e;
    }
    beginSession(db, reason === 'clean' ? null : now);
    return { db, check: { ran: reason !== 'clean', reason } };
  } catch (e) {
    db.close();
    throw e;
  }
}

function readTriage(path: string): Record<string, TriageEntry> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, TriageEntry>) : {};
  } catch {
    return {};
  }
}

function writeTriage(path: string, data: Record<string, TriageEntry>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 2));
  renameSync(tmp, path);
}
