import type { ParsedCrashLog } from '../../../shared/domain/crashlog';
import { ParseError } from '../common/parse-error';
import {
  Problems,
  emptyLog,
  gameFamilyOf,
  gameFamilyOfExe,
  splitLines,
  type LogRanges,
  type ParseContext,
} from './common';
import { parseCrashLoggerFamily, isSectionHeader } from './crash-logger';
import { decodeText } from '../common/text-encoding';
import { parseNetScriptFramework } from './netscript-framework';
import { sniffGame, sniffLogger } from './sniff';
import { parseTrainwreck } from './trainwreck';
import { stripBom } from '../../../shared/text';
import { parseFragments } from './fragments';
import { unwrapPaste } from './paste';

/** A parsed log plus the decoded lines and the ranges the rule engine searches as text. */
export interface CrashLogParse {
  parsed: ParsedCrashLog;
  lines: string[];
  ranges: LogRanges;
  /**
   * `lines.join('\n')`, made from the decoded text (no copy at all without CRs) unless a paste
   * was unwrapped (then null: the lines differ from the text). A getter, built on first read:
   * for a CRLF log the copy is a large part of parsing, and most logs' rules never need it.
   */
  readonly joined: string | null;
  /** The decoded text the lines were split from. */
  text: string;
}

/** Above this a log is read only in part (a real crash log is well under 1 MB). */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** Lines longer than this are counted as a problem (a real log line is < 1 KB). */
const LONG_LINE = 64 * 1024;

/**
 * Any supported crash log, bytes or text, to one ParsedCrashLog. Parses what is there and
 * lists what is not in `problems`; throws ParseError only when nothing in the input looks
 * like a crash log at all.
 */
export function parseCrashLogDetailed(input: string | Buffer, name = 'crash log'): CrashLogParse {
  const decoded =
    typeof input === 'string'
      ? { text: stripBom(input), encoding: 'utf-16 (string)' }
      : decodeText(input.length > MAX_LOG_BYTES ? input.subarray(0, MAX_LOG_BYTES) : input);
  const text = decoded.text;
  const lines = splitLines(text);
  const popped = lines.length > 0 && lines[lines.length - 1] === '';
  if (popped) lines.pop();
  const log = emptyLog(decoded.encoding, lines.length);
  const problems = new Problems();
  const unwrapped = unwrapPaste(lines);
  if (unwrapped) problems.add('pasted', `a pasted log: removed ${unwrapped} before reading it`);
  const ctx: ParseContext = {
    name,
    lines,
    log,
    problems,
    ranges: { callStack: null, relevantObjects: null },
  };
  if (Buffer.isBuffer(input) && input.length > MAX_LOG_BYTES)
    problems.add('too_large', `only the first ${MAX_LOG_BYTES} of ${input.length} bytes were read`);
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').length > LONG_LINE) {
      problems.add(
        'long_line',
        `line ${i + 1} is ${(lines[i] ?? '').length} characters; only its start is parsed`,
        i + 1,
      );
    }
  }
  if (text.includes('\u0000'))
    problems.add('nul_bytes', 'the text contains NUL bytes (damaged or wrongly decoded)');

  const who = sniffLogger(lines);
  const game = sniffGame(lines);
  log.logger = who.logger;
  log.loggerVersion = who.version;
  log.loggerHeader = who.line;
  if (game) {
    log.game = game.game;
    log.gameVersion = game.version;
    log.gameFamily = gameFamilyOf(game.game);
  }
  const skip = new Set<number>();
  if (who.index >= 0 && who.line) skip.add(who.index);
  if (game) skip.add(game.index);

  switch (who.logger) {
    case 'buffout4':
      parseCrashLoggerFamily(ctx, 'f4se', skip);
      log.game ??= 'Fallout 4';
      log.gameFamily ??= 'fallout4';
      break;
    case 'crashlogger':
      parseCrashLoggerFamily(ctx, log.gameFamily === 'fallout4' ? 'f4se' : 'skse', skip);
      break;
    case 'trainwreck':
      parseTrainwreck(ctx, skip);
      break;
    case 'netscriptframework':
      parseNetScriptFramework(ctx);
      break;
    default: {
      // Unknown or edited header: pick the grammar by what the body looks like.
      const sectioned = lines.some((l) => isSectionHeader(l) !== null);
      const braces = lines.some((l) => /^Probable callstack\s*$/.test(l));
      problems.add('unknown_logger', `${name}: no known crash-logger header (unknown logger or version)`);
      if (braces) parseNetScriptFramework(ctx);
      else if (sectioned) parseCrashLoggerFamily(ctx, log.gameFamily === 'fallout4' ? 'f4se' : 'skse', skip);
      else parseFragments(ctx);
      if (
        !log.exception &&
        log.callStack.length === 0 &&
        log.modules.length === 0 &&
        log.stack.length === 0 &&
        log.registers.length === 0
      ) {
        throw new ParseError('not a crash log this version can read', {
          file: name,
          field: 'header',
          offset: 0,
          code: 'not_a_crash_log',
        });
      }
    }
  }
  log.gameFamily ??= gameFamilyOf(log.game);
  if (!log.gameFamily) {
    const exe = log.modules.find((m) => gameFamilyOfExe(m.name));
    if (exe) log.gameFamily = gameFamilyOfExe(exe.name);
  }
  // Modules carry no version in these logs; the xSE plugin list does.
  const versions = new Map(
    log.xsePlugins.filter((p) => p.version).map((p) => [p.name.toLowerCase(), p.version]),
  );
  if (versions.size > 0)
    for (const m of log.modules) if (!m.version) m.version = versions.get(m.name.toLowerCase()) ?? null;
  if (!log.gameFamily) {
    const exe = log.callStack.find((f) => f.module && gameFamilyOfExe(f.module));
    if (exe?.module) log.gameFamily = gameFamilyOfExe(exe.module);
  }
  log.access = accessOf(log.exception?.details ?? []);
  if (!log.exception) {
    problems.add('no_exception', 'no exception line found');
    log.missing.unshift('exception line');
  }
  if (log.callStack.length === 0) {
    problems.add('no_call_stack', 'no call stack frames found (truncated?)');
    if (!log.missing.some((m) => m.startsWith('call stack'))) log.missing.push('call stack frames');
  }
  if (/CRASH LOGGER INTERNAL ERROR/i.test(lines.slice(-40).join('\n')))
    log.missing.push('the logger reported an internal error; the log may be incomplete');
  log.problems = problems.list;
  return new DetailedParse(log, lines, ctx.ranges, text, popped, Boolean(unwrapped));
}

/**
 * A class rather than an object literal with a getter: a literal's getter is a new closure per
 * log, and V8's young-generation collections keep such accessors (and the decoded text this
 * one holds) alive until the next full collection (issue 15).
 */
class DetailedParse implements CrashLogParse {
  private joinedText: string | undefined;
  constructor(
    readonly parsed: ParsedCrashLog,
    readonly lines: string[],
    readonly ranges: LogRanges,
    readonly text: string,
    private readonly popped: boolean,
    private readonly unwrapped: boolean,
  ) {}
  get joined(): string | null {
    return this.unwrapped ? null : (this.joinedText ??= joinedLines(this.text, this.popped));
  }
}

/**
 * `splitLines(text)` (less a popped final empty line) joined with "\n", from the text itself: a
 * join of a CRLF log's sliced lines costs several times the replace. splitLines drops a "\r"
 * ending a line and breaks at any other "\r"; at the very end a "\r" is simply dropped.
 */
function joinedLines(text: string, popped: boolean): string {
  let out = text;
  if (text.includes('\r')) {
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    out = t.replaceAll('\r\n', '\n');
    if (out.includes('\r')) out = t.replace(/\r\n?/g, '\n');
  }
  return popped ? out.slice(0, -1) : out;
}

/** "Access Violation: Tried to read memory at 0x…" (Crash Logger, Buffout 4 NG) → kind and target. */
function accessOf(details: readonly string[]): ParsedCrashLog['access'] {
  for (const d of details) {
    const m = /Tried to (read|write|execute) memory at (0x[0-9A-Fa-f]{1,16})?/i.exec(d);
    if (m)
      return { kind: (m[1] ?? 'read').toLowerCase() as 'read' | 'write' | 'execute', address: m[2] ?? null };
  }
  return null;
}

export function parseCrashLog(input: string | Buffer, name = 'crash log'): ParsedCrashLog {
  return parseCrashLogDetailed(input, name).parsed;
}
