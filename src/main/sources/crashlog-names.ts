import { splitLines } from '../formats/crashlog/common';
import { sniffLogger } from '../formats/crashlog/sniff';

// Recognising crash-logger output among arbitrary .log/.txt files by content (file names are
// often renamed when users share them), and dating it (skyrimdiag-artifacts.md §10).

export type LogKind = 'crash' | 'threaddump' | 'papyrus';

const CRASH_MARKERS =
  /(Unhandled (?:native )?exception|PROBABLE CALL STACK|Probable callstack|crash time:|process info:|\[P\]robable|\[S\]tack scan)/i;
/** Lines of the head the logger sniff sees (it reads 40, and 2,000 for an edited Trainwreck header). */
const HEAD_LINES = 2000;

/**
 * Looks at the first bytes of a text file; null when it is not a crash/thread dump log.
 * Whether a crash logger wrote it is the parser's own question (formats/crashlog/sniff.ts), so
 * the scan never files a log the parser cannot read, nor passes over one it can.
 */
export function sniffLogHead(name: string, head: string): LogKind | null {
  if (/^papyrus\.\d+\.log$/i.test(name)) return 'papyrus';
  const top = head.slice(0, 65536);
  if (sniffLogger(splitLines(top).slice(0, HEAD_LINES)).logger === 'unknown') return null;
  if (/^(threaddump|thread-dump|thread_dump)[-_]/i.test(name)) return 'threaddump';
  if (!CRASH_MARKERS.test(top)) {
    // A thread dump from Crash Logger carries call stacks but no exception line.
    return /callstack:/i.test(top) && /thread/i.test(top) ? 'threaddump' : null;
  }
  return 'crash';
}

/**
 * Local wall-clock time from a crash-log name: `crash-2024-04-30-11-44-59.log` (Crash Logger,
 * Buffout 4) or NetScriptFramework's `Crash_2024_4_4_19-7-44.txt`. Null when the name has none.
 */
export function timeFromLogName(name: string): string | null {
  let m = /(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})/.exec(name);
  if (!m) m = /Crash_(\d{4})_(\d{1,2})_(\d{1,2})_(\d{1,2})-(\d{1,2})-(\d{1,2})/i.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.000`;
}
