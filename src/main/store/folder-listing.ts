import type {
  Confidence,
  IncidentKind,
  IncidentSource,
  IncidentStatus,
  IncidentSummary,
} from '../../shared/domain/incident';
import { CONFIDENCE_LEVELS } from '../../shared/domain/confidence';
import type { GameFamily } from '../../shared/domain/rules';
import { statement, type ReadableDB } from './db';
import { LISTING_LINE_SQL, listingLine } from './listing-line';

/**
 * The listing of scanned folders, newest first, as summaries or as the CLI's lines, on any
 * connection that can read the index: the store's reader, or a scan's read-only probe
 * (index-probe.ts) that finds nothing changed.
 */

type Row = Record<string, unknown>;

/**
 * Every column here (and `captured_ms`, `search_key`) is in the index incidents_listing
 * (migration 12), which serves a folder's listing without reading the table: keep them in step.
 *
 * `regressed`: the bucket was marked fixed (an incident with status fixed, or a cause confirmed
 * with a working fix) on an incident captured earlier. Both probes are partial-index lookups.
 */
export const LISTED_COLUMNS = `i.id, i.kind, i.source, i.captured_at, i.title, i.signature, i.culprit_key, i.status, i.folder,
  i.artifact_count, i.has_errors, i.headline, i.cause_confidence, i.game`;
export const SUMMARY_COLUMNS = `${LISTED_COLUMNS},
  (i.status <> 'fixed' AND i.signature IS NOT NULL AND (
    EXISTS (SELECT 1 FROM incidents j INDEXED BY incidents_fixed
            WHERE j.status = 'fixed' AND j.signature = i.signature AND j.captured_ms < i.captured_ms)
    OR EXISTS (SELECT 1 FROM confirmed_causes c
            WHERE c.fixed = 1 AND c.bucket = i.signature AND c.incident_captured_ms < i.captured_ms))) AS regressed`;

/**
 * The scan's listing (incidentsInFolders). `one`: the same listing for one folder, in the same
 * order (search_key is unique), read backwards straight from incidents_listing; the form for
 * several folders sorts every row in a temporary b-tree before it returns the first (a tenth of
 * a 20,000-incident no-change rescan, issue 15).
 */
const listingSql = (columns: string) => ({
  many: `SELECT ${columns} FROM json_each(@folders) f JOIN incidents i ON i.folder = f.value
  ORDER BY i.captured_at DESC, f.key, i.search_key DESC`,
  one: `SELECT ${columns} FROM incidents i WHERE i.folder = @folder
  ORDER BY i.captured_at DESC, i.search_key DESC`,
});
const LISTING = listingSql(SUMMARY_COLUMNS);
/** The listing as CLI lines (listing-line.ts), from the same covering index in the same order. */
const LINES = listingSql(LISTING_LINE_SQL);
/** With nothing marked fixed, `regressed` is false on every row: no two probes per row. */
const LISTING_NONE_FIXED = listingSql(`${LISTED_COLUMNS}, 0 AS regressed`);
const ANY_FIXED_SQL = `SELECT EXISTS (SELECT 1 FROM incidents INDEXED BY incidents_fixed WHERE status = 'fixed')
  OR EXISTS (SELECT 1 FROM confirmed_causes WHERE fixed = 1 AND bucket IS NOT NULL)`;
/** Exported for the test of their query plans. */
export const FOLDERS_LISTING_SQL = LISTING.many;
export const FOLDER_LISTING_SQL = LISTING.one;

/** What Confidence.safeParse accepts, without a parse per row of a 100,000-row listing. */
const CONFIDENCES: ReadonlySet<unknown> = new Set(CONFIDENCE_LEVELS);

export function toSummary(r: Row): IncidentSummary {
  return {
    id: r.id as string,
    kind: r.kind as IncidentKind,
    source: r.source as IncidentSource,
    capturedAt: r.captured_at as string,
    title: r.title as string,
    signature: (r.signature as string | null) ?? null,
    status: r.status as IncidentStatus,
    folder: r.folder as string,
    artifactCount: Number(r.artifact_count),
    hasErrors: Number(r.has_errors) !== 0,
    headline: (r.headline as string | null) ?? null,
    confidence: CONFIDENCES.has(r.cause_confidence) ? (r.cause_confidence as Confidence) : null,
    game: (r.game as GameFamily | null) ?? null,
    culpritKey: (r.culprit_key as string | null) ?? null,
    regressed: Number(r.regressed ?? 0) !== 0,
  };
}

/**
 * The incidents of several scanned folders, newest capture first, one row at a time: a scan
 * of 100,000 incidents lists them without holding them (issue 15). Ties keep the order the
 * folders were given in, then each folder's own order (incidentsInFolder's); a folder given
 * twice is listed twice, as concatenating incidentsInFolder per folder would.
 */
export function* summariesInFolders(
  db: ReadableDB,
  folders: readonly string[],
): Generator<IncidentSummary, void, undefined> {
  const sql = statement(db, ANY_FIXED_SQL).pluck().get() ? LISTING : LISTING_NONE_FIXED;
  const rows = (
    folders.length === 1
      ? statement(db, sql.one).iterate({ folder: folders[0] })
      : statement(db, sql.many).iterate({ folders: JSON.stringify(folders) })
  ) as IterableIterator<Row>;
  for (const r of rows) yield toSummary(r);
}

/**
 * summariesInFolders as the CLI's listing lines (listing-line.ts), each with its line break,
 * one string per row read from the covering index.
 */
export function* linesInFolders(
  db: ReadableDB,
  folders: readonly string[],
): Generator<string, void, undefined> {
  const rows = (
    folders.length === 1
      ? statement(db, LINES.one).pluck().iterate({ folder: folders[0] })
      : statement(db, LINES.many)
          .pluck()
          .iterate({ folders: JSON.stringify(folders) })
  ) as IterableIterator<string | number>;
  for (const r of rows) {
    if (typeof r === 'string') yield r;
    else {
      // A row whose values SQLite would pad or cut differently: listed from its summary.
      const row = statement(db, `SELECT ${SUMMARY_COLUMNS} FROM incidents i WHERE i.rowid = ?`).get(r) as Row;
      yield `${listingLine(toSummary(row))}\n`;
    }
  }
}

/**
 * The folder's write stamp (migration 13): it changes with every write to its incidents' ids
 * or their artifacts' paths, roles, sizes and mtimes, and only then. "none" when no incident
 * of the folder has been written since the index had stamps and it has none; null when it has
 * incidents but no stamp (a row deleted by hand): nothing can be said then.
 */
export function folderStampOf(db: ReadableDB, folder: string): string | null {
  return stampIn(db, 'folder_writes', folder);
}

/**
 * The folder's listing stamp (migration 14): it changes with every write to what the folder's
 * listing shows or its order, and only then; "none" and null as for folderStampOf.
 */
export function listingStampOf(db: ReadableDB, folder: string): string | null {
  return stampIn(db, 'listing_writes', folder);
}

function stampIn(db: ReadableDB, table: 'folder_writes' | 'listing_writes', folder: string): string | null {
  const stamp = statement(db, `SELECT stamp FROM ${table} WHERE folder = ?`).pluck().get(folder) as
    string | undefined;
  if (stamp !== undefined) return `s:${stamp}`;
  const any = statement(db, 'SELECT EXISTS (SELECT 1 FROM incidents WHERE folder = ?)').pluck().get(folder);
  return any ? null : 'none';
}
