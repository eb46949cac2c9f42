import type { LogPattern, LogSeverity } from '../../../shared/domain/logs';

/**
 * Severity of a line signature. An explicit level wins: spdlog's `[warning]`, Papyrus'
 * `error:` / `warning:` prefix. Otherwise words decide. It runs on the masked signature, so
 * "error" inside a quoted string or a path (`C:\errors\…`) does not count.
 */
const LEVEL =
  /^\s*(?:<TS>\s*)?(?:\[\s*(trace|debug|info|information|notice|warn|warning|error|err|critical|crit|fatal)\s*\]|(trace|debug|info|warn|warning|error|critical|fatal)\s*:)/i;
const ERROR_WORDS =
  /\b(?:error|errors|fatal|exception|failed|failure|fails?|cannot|can't|couldn't|could not|unable|crash(?:ed|es|ing)?|critical|abort(?:ed|ing)?|assert(?:ion)?(?: failed)?|access violation|denied|corrupt(?:ed)?)\b/i;
const WARNING_WORDS =
  /\b(?:warn|warning|warnings|deprecated|not found|missing|time[d]? ?out|invalid|mismatch)\b/i;
/** Papyrus names a missing object "None"; lower-case "none" is ordinary English. */
const NONE_WORD = /\bNone\b/;

const LEVEL_OF: Record<string, LogSeverity> = {
  trace: 'info',
  debug: 'info',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warning',
  warning: 'warning',
  error: 'error',
  err: 'error',
  critical: 'error',
  crit: 'error',
  fatal: 'error',
};

export function severityOf(signature: string): LogSeverity {
  const m = LEVEL.exec(signature);
  if (m) return LEVEL_OF[(m[1] ?? m[2] ?? '').toLowerCase()] ?? 'info';
  if (ERROR_WORDS.test(signature)) return 'error';
  if (WARNING_WORDS.test(signature) || NONE_WORD.test(signature)) return 'warning';
  return 'info';
}

/** 2 error, 1 warning, 0 info: the dedupe pass compares severities as numbers. */
export const SEVERITY_RANK: Record<LogSeverity, 0 | 1 | 2> = { info: 0, warning: 1, error: 2 };
export const SEVERITY_BY_RANK: readonly LogSeverity[] = ['info', 'warning', 'error'];

/** The summary's own order (and the `severity` sort): worst first, then most frequent, then the one seen first. */
export function worstFirst(a: LogPattern, b: LogPattern): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || a.id - b.id;
}
