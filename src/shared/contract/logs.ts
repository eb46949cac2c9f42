import { z } from 'zod';
import { channel } from './define';
import { KeptLine, LogPattern, LogPatternSummary, LogSeverity } from '../domain/logs';

/** A log is named by its artifact id; never by a raw path from the page. */
const LogRef = z.object({ artifactId: z.number().int() });

export const LogPatternSort = z.enum(['severity', 'count', 'first', 'last']);
export type LogPatternSort = z.infer<typeof LogPatternSort>;

/** The summary without its big arrays (patterns are paged, kept lines come with page 0). */
export const LogSummaryHead = LogPatternSummary.omit({ patterns: true, keptLines: true, lineIndex: true });
export type LogSummaryHead = z.infer<typeof LogSummaryHead>;

export const logsChannels = {
  'logs:patterns': channel(
    LogRef.extend({
      severity: z.array(LogSeverity).max(3).optional(),
      /** Case-insensitive substring of the signature or the example. */
      text: z.string().max(500).optional(),
      sort: LogPatternSort.default('severity'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    z.object({
      artifactId: z.number().int(),
      name: z.string(),
      summary: LogSummaryHead,
      /** Patterns matching the filter (before paging). */
      total: z.number().int(),
      items: z.array(LogPattern),
      /** First/last error and warning lines; only on the first page (offset 0). */
      keptLines: z.array(KeptLine).nullable(),
      /** "index": the stored analysis; "fresh": computed now (file changed or indexed before this feature). */
      source: z.enum(['index', 'fresh']),
    }),
    'Deduplicated line patterns of a text log (Papyrus, SKSE, helper logs...), filtered and paged.',
  ),
  'logs:raw': channel(
    LogRef.extend({
      fromLine: z.number().int().min(1).default(1),
      lineCount: z.number().int().min(1).max(5000).default(1000),
    }),
    z.object({
      fromLine: z.number().int(),
      toLine: z.number().int(),
      text: z.string(),
      totalLines: z.number().int(),
      longLines: z.number().int(),
      eof: z.boolean(),
      encoding: z.string(),
    }),
    'A bounded window of the raw log text by line range (at most 5,000 lines / 4 MB; long lines cut).',
  ),
} as const;
