import { z } from 'zod';

/** How bad a log line is: from its level tag (`[error]`, `warning:`) or its words (logs/severity.ts). */
export const LogSeverity = z.enum(['error', 'warning', 'info']);
export type LogSeverity = z.infer<typeof LogSeverity>;

/** One line shape: every line whose masked text is `signature`, with one real example. */
export const LogPattern = z.object({
  /** Stable within one summary (creation order); the UI refers to patterns by it. */
  id: z.number().int(),
  signature: z.string(),
  /** The worst severity any of its lines had (stack lines inherit their entry's). */
  severity: LogSeverity,
  count: z.number().int(),
  firstLine: z.number().int(),
  lastLine: z.number().int(),
  /** The log's own timestamps (wall clock, no zone) of the first/last line, when it has them. */
  firstTs: z.string().nullable(),
  lastTs: z.string().nullable(),
  /** The first line of the pattern, as written (truncated). */
  example: z.string(),
});
export type LogPattern = z.infer<typeof LogPattern>;

/** An error or warning line kept verbatim (the first N and the last N of the log). */
export const KeptLine = z.object({
  line: z.number().int(),
  severity: LogSeverity,
  ts: z.string().nullable(),
  text: z.string(),
});
export type KeptLine = z.infer<typeof KeptLine>;

export const LogFlavor = z.enum(['papyrus', 'timestamped', 'plain']);
export type LogFlavor = z.infer<typeof LogFlavor>;

/** Everything the dedupe pass learned about one log file (stored as the artifact's facts). */
export const LogPatternSummary = z.object({
  version: z.literal(1),
  flavor: LogFlavor,
  encoding: z.string(),
  encodingReason: z.string(),
  bytes: z.number(),
  lines: z.number().int(),
  blankLines: z.number().int(),
  /** Lines longer than the per-line limit: their signature is made from the first bytes only. */
  longLines: z.number().int(),
  longestLine: z.number().int(),
  maxLineBytes: z.number().int(),
  severityLines: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  firstTs: z.string().nullable(),
  lastTs: z.string().nullable(),
  /** Distinct patterns kept (at most `patternCap`). */
  patternCount: z.number().int(),
  patternCap: z.number().int(),
  patterns: z.array(LogPattern),
  /** Lines whose pattern was new after the cap was reached: counted here, not kept. */
  other: z
    .object({
      lines: z.number().int(),
      errors: z.number().int(),
      warnings: z.number().int(),
      firstLine: z.number().int(),
      lastLine: z.number().int(),
    })
    .nullable(),
  keptLines: z.array(KeptLine),
  /** Error/warning lines between the first and last kept ones that were not kept. */
  keptOmitted: z.number().int(),
  /** Byte offset of every `every`-th line (line 1, 1+every, ...) so a raw window can seek. */
  lineIndex: z.object({ every: z.number().int().min(1), offsets: z.array(z.number()) }),
  problems: z.array(z.string()),
});
export type LogPatternSummary = z.infer<typeof LogPatternSummary>;
