import type { IncidentSummary } from '../../shared/domain/incident';

/** What one line of the CLI's incident listing shows. */
export type ListedIncident = Pick<
  IncidentSummary,
  'id' | 'capturedAt' | 'kind' | 'source' | 'status' | 'title' | 'hasErrors'
>;

/** One incident as a line of the CLI's listing (`scan`, `list`), without the line break. */
export function listingLine(i: ListedIncident): string {
  const err = i.hasErrors ? ' [!]' : '';
  return `${i.id}  ${i.capturedAt.slice(0, 19).replace('T', ' ')}  ${i.kind.padEnd(7)} ${i.source.padEnd(11)} ${i.status.padEnd(7)} ${i.title}${err}`;
}

/** `x` is TEXT with no NUL in it (SQLite's string functions stop at a NUL; JavaScript's do not). */
const textNoNul = (x: string) => `typeof(${x}) = 'text' AND instr(CAST(${x} AS BLOB), x'00') = 0`;
/** `x` is TEXT, all ASCII and no NUL: characters, bytes and UTF-16 units are then the same count. */
const plainAscii = (x: string) => `typeof(${x}) = 'text' AND length(${x}) = length(CAST(${x} AS BLOB))`;
/** The first 19 characters of captured_at with its first 'T' made a space (`slice`, `replace`). */
const DATE = `CASE WHEN instr(substr(i.captured_at, 1, 19), 'T') > 0
  THEN substr(i.captured_at, 1, instr(i.captured_at, 'T') - 1) || ' ' || substr(i.captured_at, instr(i.captured_at, 'T') + 1, 19 - instr(i.captured_at, 'T'))
  ELSE substr(i.captured_at, 1, 19) END`;

/**
 * The same line built by SQLite, with its line break, or the row's rowid where the SQL form could
 * differ from listingLine's (a value that is not plain text: padding counts bytes in SQLite and
 * UTF-16 units in JavaScript). A scan lists every incident of its folders; for 20,000 of them
 * building a row object, a summary and the line per row in JavaScript was a third of a no-change
 * rescan (issue 15), and the SQL form reads one string per row. listing-line.test.ts checks both
 * forms agree on hostile rows.
 */
export const LISTING_LINE_SQL = `CASE WHEN ${textNoNul('i.id')} AND ${textNoNul('i.title')}
  AND ${plainAscii('i.kind')} AND ${plainAscii('i.source')} AND ${plainAscii('i.status')}
  AND ${plainAscii('i.captured_at')} AND typeof(i.has_errors) IN ('integer', 'real')
  THEN i.id || '  ' || ${DATE} || '  ' || printf('%-7s %-11s %-7s ', i.kind, i.source, i.status)
    || i.title || CASE WHEN i.has_errors <> 0 THEN ' [!]' ELSE '' END || char(10)
  ELSE i.rowid END`;
