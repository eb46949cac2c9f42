import type {
  CrashLogException,
  CrashLogFrame,
  CrashLogModule,
  CrashLogSlot,
  CrashLogProblem,
  GamePlugin,
  ParsedCrashLog,
  XsePlugin,
} from '../../../shared/domain/crashlog';
import type { GameFamily } from '../../../shared/domain/rules';
import { EXCEPTION_NAMES } from '../common/exception-codes';

/**
 * Pieces every logger family shares: line splitting with bounds, the exception line, frames,
 * module/plugin list entries. Each family module (crash-logger.ts, netscript-framework.ts,
 * trainwreck.ts) only knows its own section grammar.
 */

/** Regexes run on at most this much of a line; a 10 MB line is kept, only its head is parsed. */
export const MAX_PARSED_LINE = 16 * 1024;
/** Entries kept per list section (a real log has < 5,000); the rest is counted as a problem. */
export const MAX_ENTRIES = 50_000;
/** Lines kept per unknown section. */
export const MAX_RAW_LINES = 5_000;

const CODE_BY_NAME = new Map(Object.entries(EXCEPTION_NAMES).map(([code, name]) => [name, Number(code)]));

export function emptyLog(encoding: string, lineCount: number): ParsedCrashLog {
  return {
    logger: 'unknown',
    loggerVersion: null,
    loggerHeader: null,
    game: null,
    gameFamily: null,
    gameVersion: null,
    exception: null,
    header: {},
    settings: {},
    system: {},
    callStack: [],
    registers: [],
    stack: [],
    modules: [],
    xsePlugins: [],
    gamePlugins: [],
    pluginCounts: null,
    pluginsListed: false,
    relevantObjects: [],
    access: null,
    accessViolation: null,
    cppException: null,
    processInfo: {},
    threadContext: {},
    missing: [],
    outline: [],
    unknownSections: [],
    encoding,
    lineCount,
    problems: [],
  };
}

export class Problems {
  readonly list: CrashLogProblem[] = [];
  private readonly seen = new Set<string>();
  add(code: string, message: string, line: number | null = null): void {
    // One report per kind of damage is enough; a fuzzed log must not grow this unboundedly.
    const key = `${code}|${line === null ? message : ''}`;
    if (this.seen.has(key) || this.list.length >= 200) return;
    this.seen.add(key);
    this.list.push({ code, message, line });
  }
}

/** Splits on CRLF, CR or LF (logs edited on other systems mix them). */
export function splitLines(text: string): string[] {
  // Plain splits are several times faster than a regex split or replace on a CRLF log.
  const parts = text.split('\n');
  if (!text.includes('\r')) return parts;
  const out: string[] = [];
  for (const part of parts) {
    const l = part.charCodeAt(part.length - 1) === 13 ? part.slice(0, -1) : part;
    if (l.indexOf('\r') >= 0) for (const x of l.split('\r')) out.push(x);
    else out.push(l);
  }
  return out;
}

/** The white space String.prototype.trim removes (WhiteSpace and LineTerminator). */
function isTrimmed(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `line.trim() === ch` for a one-character `ch`, without the copy (run on every line of a log). */
export function trimsTo(line: string | undefined, ch: string): boolean {
  return line !== undefined && soleChar(line) === ch.charCodeAt(0);
}

/**
 * The one character `line.trim()` is made of (as a UTF-16 code unit), or -1 when the trimmed
 * line is empty or longer; a brace line is told from any other with one scan and no copy.
 */
export function soleChar(line: string | undefined): number {
  if (line === undefined) return -1;
  let i = 0;
  while (i < line.length && isTrimmed(line.charCodeAt(i))) i++;
  if (i >= line.length) return -1;
  for (let j = i + 1; j < line.length; j++) if (!isTrimmed(line.charCodeAt(j))) return -1;
  return line.charCodeAt(i);
}

/** `!line.trim()` without the copy (an indented line's trim() allocates a new string). */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isTrimmed(line.charCodeAt(i))) return false;
  return true;
}

/** The part of a line regexes may look at. */
export function head(line: string): string {
  return line.length > MAX_PARSED_LINE ? line.slice(0, MAX_PARSED_LINE) : line;
}

export function gameFamilyOf(game: string | null): ParsedCrashLog['gameFamily'] {
  if (!game) return null;
  if (/skyrim/i.test(game)) return 'skyrim';
  if (/fallout\s*4/i.test(game)) return 'fallout4';
  return null;
}

const GAME_EXE = new Map<string, GameFamily>([
  ['skyrimse.exe', 'skyrim'],
  ['skyrimvr.exe', 'skyrim'],
  ['fallout4.exe', 'fallout4'],
  ['fallout4vr.exe', 'fallout4'],
]);

/** The game a module is the executable of ("SkyrimSE.exe" → skyrim), or null. */
export function gameFamilyOfExe(module: string): GameFamily | null {
  return GAME_EXE.get(module.toLowerCase()) ?? null;
}

/** "Module+OFFSET" (optionally in parentheses) at the start of `s`; module names may contain spaces. */
const MODULE_OFFSET = /^\(?\s*([^\s(+][^\t(+]*?)\+(?:0x)?([0-9A-Fa-f]{1,16})\b\)?/;

/**
 * Crash Logger and Buffout 4 pad offsets to 7 hex digits and follow them with a tab and the
 * instruction; a paste that lost the tab glues them ("+0057988test byte ptr …").
 */
const MODULE_OFFSET_GLUED = /^\(?\s*([^\s(+][^\t(+]*?)\+([0-9A-Fa-f]{7})(?=[a-z])/;

export function moduleOffset(s: string): { module: string; offset: string; rest: string } | null {
  const m = MODULE_OFFSET.exec(s) ?? MODULE_OFFSET_GLUED.exec(s);
  if (!m) return null;
  return { module: (m[1] ?? '').trim(), offset: (m[2] ?? '').toUpperCase(), rest: s.slice(m[0].length) };
}

/** Splits Crash Logger / Buffout 4 ≥ 1.31 frame tails: "\tmov rax, [rcx] |  Func_9E5CC0 -> 28088+0x30\tmov …". */
function splitTail(rest: string): {
  instruction: string | null;
  symbol: string | null;
  addressId: string | null;
} {
  let s = rest;
  let addressId: string | null = null;
  let afterId: string | null = null;
  const arrow = /\s->\s*(\d+\+0x[0-9A-Fa-f]+)/.exec(s);
  if (arrow) {
    addressId = arrow[1] ?? null;
    afterId = s.slice(arrow.index + arrow[0].length).trim() || null;
    s = s.slice(0, arrow.index);
  }
  let instruction: string | null = null;
  let symbol: string | null = null;
  const bar = s.indexOf('|');
  if (bar >= 0) {
    instruction = s.slice(0, bar).trim() || null;
    symbol = s.slice(bar + 1).trim() || null;
  } else if (/^\t/.test(s)) {
    instruction = s.trim() || null;
  } else {
    symbol = s.trim() || null;
  }
  return { instruction: instruction ?? afterId, symbol, addressId };
}

/**
 * One probable-call-stack line of any family:
 *   "[ 3] 0x7FF646703CBE Fallout4.exe+1D13CBE -> 673619+0x2AE"            (Buffout 4, Crash Logger)
 *   "[0] 0x7FF74ECD5CC0 Fallout4.exe+09E5CC0\tmov rax, [rcx+0x20] |  Func_9E5CC0 -> 28088+0x30"
 *   "[0]   0x7FF71A2ED789     (SkyrimSE.exe+A0D789)          hkbClipGenerator::unk_A0D770+19" (NSF)
 *   "[1]   0x20000"                                                          (no module)
 */
export function parseFrame(line: string, fallbackIndex: number): CrashLogFrame | null {
  const t = head(line).trim();
  const m = /^\[\s*([0-9A-Fa-f]{1,6})\s*\](?:\s*\[([PS?])\])?\s*(?:(0x[0-9A-Fa-f]{1,16})\b)?\s*(.*)$/.exec(t);
  if (!m) return null;
  const idx = Number.parseInt(m[1] ?? '', 10);
  // Crash Logger 1.20+ "[ 3][P]": P = unwound, S = found by a stack scan.
  const tag = m[2];
  let rest = m[4] ?? '';
  // "(void* -> SkyrimSE.exe+D6DDDA\tmov …)": a typed pointer annotation, not a module named "void* -> …".
  const typed = /^\(\s*[\w:<>, ]+\*+\s*->\s*/.exec(rest);
  if (typed) rest = rest.slice(typed[0].length).replace(/\)\s*$/, '');
  const mo = moduleOffset(rest);
  const frame: CrashLogFrame = {
    index: Number.isFinite(idx) ? idx : fallbackIndex,
    address: m[3] ?? null,
    module: null,
    offset: null,
    symbol: null,
    addressId: null,
    instruction: null,
    source: tag === 'P' ? 'probable' : tag === 'S' ? 'scan' : null,
    text: t,
  };
  if (mo && plausibleModule(mo.module)) {
    frame.module = mo.module;
    frame.offset = mo.offset;
    Object.assign(frame, splitTail(mo.rest));
  } else if (rest.trim()) {
    // A bare module name ("ImprovedCameraSE.dll") or a symbol with no module.
    const bare = /^([^\s()]+\.(?:dll|exe|asi|dllplugin))\b\s*(.*)$/i.exec(rest.trim());
    if (bare) {
      frame.module = bare[1] ?? null;
      frame.symbol = bare[2]?.trim() || null;
    } else frame.symbol = rest.trim();
  }
  return frame;
}

/**
 * Whether "name" before a "+OFFSET" can be a module file name: module names may hold spaces
 * ("F4z Ro D'oh.dll") but never pointer syntax, brackets or an address.
 */
export function plausibleModule(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 200 &&
    !/->|[*[\]{}<>|"`]|^0x[0-9a-f]+$|\s0x[0-9a-f]/i.test(name) &&
    !/^\(/.test(name)
  );
}

/**
 * The exception line:
 *   'Unhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FFFA2F9565D d3d11.dll+010565D'
 *   'Unhandled exception at 0x7FFBFA1D4D8C KERNELBASE.dll+0064D8C'
 *   'Unhandled exception "…" at 0x… Fallout4.exe+0DB9300\tmov edx, [rax+0x1A0] |  Actor::ShouldCutNavmesh(void)_DB9300)'
 *   'Unhandled native exception occurred at 0x7FFDDAACAE45 (JContainers64.dll+10AE45) on thread 10564!'
 */
export function parseExceptionLine(line: string): CrashLogException | null {
  const t = head(line);
  const m =
    /Unhandled\s+(?:native\s+|managed\s+)?exception\s*(?:"([^"]*)"|\(([^)]*)\))?\s*(?:occurred\s+)?at\s+(0x[0-9A-Fa-f]{1,16})\b(.*)$/i.exec(
      t,
    );
  if (!m) return null;
  const name = (m[1] ?? m[2] ?? '').trim() || null;
  let rest = m[4] ?? '';
  let thread: number | null = null;
  const th = /\s*on thread (\d+)!?\s*$/i.exec(rest);
  if (th) {
    thread = Number(th[1]);
    rest = rest.slice(0, th.index);
  }
  const mo = moduleOffset(rest.trimStart());
  let instruction: string | null = null;
  let symbol: string | null = null;
  if (mo) {
    const tail = splitTail(mo.rest);
    instruction = tail.instruction;
    // Buffout 4 closes the symbol with a stray ")" of its own.
    symbol = tail.symbol?.replace(/\)\s*$/, '') || null;
  }
  const hex = name && /^0x[0-9a-f]+$/i.test(name) ? Number.parseInt(name, 16) : null;
  return {
    raw: t.trim(),
    name: name && !hex ? name : hex !== null ? (EXCEPTION_NAMES[hex] ?? name) : null,
    code: name ? (CODE_BY_NAME.get(name) ?? hex) : null,
    address: m[3] ?? null,
    module: mo?.module ?? null,
    offset: mo?.offset ?? null,
    instruction,
    symbol,
    thread,
    details: [],
  };
}

/** "XINPUT1_3.dll   0x000000400000", "SkyrimSE.exe:   0x7FF63BB30000", "zavcore.dll". */
export function parseModuleLine(line: string): CrashLogModule | null {
  const t = head(line).trim();
  if (!t || /^[{}]$/.test(t)) return null;
  const m = /^(.+?):?\s+(0x[0-9A-Fa-f]{1,16})\s*(.*)$/.exec(t);
  if (m) {
    const version = /\bv?(\d+(?:\.\d+){1,3})\b/.exec(m[3] ?? '');
    return { name: (m[1] ?? '').trim(), base: m[2] ?? null, version: version?.[1] ?? null };
  }
  if (/\.(dll|exe|asi|dllplugin|bin)\b/i.test(t))
    return { name: t.replace(/:$/, ''), base: null, version: null };
  return null;
}

/** "ArmorPenetrationBugFix.dll v1", "F4z Ro D'oh.dll v1.1.6.1030", "BetterConsole.dll". */
export function parseXsePluginLine(line: string, kind: XsePlugin['kind']): XsePlugin | null {
  const t = head(line).trim();
  if (!t) return null;
  const m = /^(.+?\.dll)(?:\s+v(\S+))?\s*$/i.exec(t);
  if (m) return { name: m[1] ?? t, version: m[2] ?? null, kind };
  return /\.dll\b/i.test(t) ? { name: t, version: null, kind } : null;
}

/** "Light: 100\tRegular: 79\tTotal: 179" (Crash Logger's count line above the load order). */
export function parsePluginCounts(line: string): ParsedCrashLog['pluginCounts'] {
  const m = /Light:\s*(\d+)\s+Regular:\s*(\d+)\s+Total:\s*(\d+)/i.exec(head(line));
  return m ? { light: Number(m[1]), regular: Number(m[2]), total: Number(m[3]) } : null;
}

/**
 * A load-order entry: "[00]     Fallout4.esm", "[ 0]\tA.esm", "[FE:000] x.esl", "[FE 847] x.esp",
 * "[FE:  0] x.esl", or a bare name. Light plugins get "FE:xxx"; full ones a two-digit index.
 */
export function parseGamePluginLine(line: string, order: number): GamePlugin | null {
  const t = head(line).trim();
  if (!t) return null;
  // Hand-rolled: a Nolvus load order has ~2,400 of these lines per log.
  const close = t.charCodeAt(0) === 91 /* [ */ ? t.indexOf(']') : -1;
  if (close > 0 && close <= 12) {
    const name = t.slice(close + 1).trim();
    if (!name) return null;
    // The shapes real lists use, "[0A]", "[FE:01B]" and (NSF) "[FE 01B]", read by character;
    // anything else (inner spaces, lower case, short light indexes) takes the general path below.
    if (close === 3 && isUpperHex(t, 1, 3)) return { order, index: t.slice(1, 3), name, light: false };
    const sep = t.charCodeAt(3);
    if (
      close === 7 &&
      isUpperLetter(t.charCodeAt(1)) &&
      isUpperLetter(t.charCodeAt(2)) &&
      (sep === 58 /* : */ || sep === 32) &&
      isUpperHex(t, 4, 7)
    ) {
      const set = t.slice(1, 3);
      return { order, index: `${set}:${t.slice(4, 7)}`, name, light: set === 'FE' };
    }
    const raw = t.slice(1, close).trim().toUpperCase();
    if (/^[0-9A-F]{1,2}$/.test(raw)) return { order, index: raw.padStart(2, '0'), name, light: false };
    const sub = /^([A-Z]{2})[: ]\s*([0-9A-F]{1,3})$/.exec(raw);
    if (sub) {
      const idx = `${sub[1]}:${(sub[2] ?? '').padStart(3, '0')}`;
      return { order, index: idx, name, light: sub[1] === 'FE' };
    }
    return null;
  }
  if (/\.(esp|esm|esl)\s*$/i.test(t)) return { order, index: null, name: t, light: /\.esl\s*$/i.test(t) };
  return null;
}

function isUpperLetter(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** Whether s[from..to) is all 0-9 or A-F. */
function isUpperHex(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** "1.28.6", "1-14-1-0" (Crash Logger writes dashes) → dotted. */
export function normalizeVersion(v: string): string {
  return v.replace(/-/g, '.');
}

/** "RAX 0x0   (size_t)", "R10 0x7FF…  (void* -> d3d11.dll+0105650)", NSF "AX:  0x…  (…)", "XMM0: (double)0 / (float)0". */
export function parseRegisterLine(line: string): CrashLogSlot | null {
  const m = /^([A-Za-z][A-Za-z0-9]{0,7})(:?)\s+(0x[0-9A-Fa-f]{1,16}\b)?\s*(.*)$/.exec(head(line).trim());
  if (!m || (!m[2] && !m[3])) return null;
  return {
    name: (m[1] ?? '').toUpperCase(),
    value: m[3] ?? null,
    annotation: m[4]?.trim() || null,
    details: [],
  };
}

/** "[RSP+1A0] 0x2141DA144D0  (char*) "lots used"", NSF "[SP+20]   0x7FF…  (JContainers64.dll+2147F0) (void*)". */
export function parseStackLine(line: string): CrashLogSlot | null {
  const m = /^\[\s*((?:[RE]?SP)\s*\+\s*[0-9A-Fa-f]+)\s*\]\s*(0x[0-9A-Fa-f]{1,16}\b)?\s*(.*)$/i.exec(
    head(line).trim(),
  );
  if (!m) return null;
  return {
    // "SP+20" as written needs neither copy (a Nolvus log has ~1,000 stack lines).
    name: compactUpper(m[1] ?? ''),
    value: m[2] ?? null,
    annotation: m[3]?.trim() || null,
    details: [],
  };
}

/**
 * `s.replace(/\s+/g, '').toUpperCase()`, returning `s` itself when it has no lower-case letter,
 * white space or non-ASCII character (then neither would change it).
 */
function compactUpper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127 || isTrimmed(c)) return s.replace(/\s+/g, '').toUpperCase();
  }
  return s;
}

/** Leading whitespace width (a tab counts 4), to tell an entry from the lines nested under it. */
export function indentWidth(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 9) n += 4;
    else if (ch === 32) n += 1;
    else break;
  }
  return n;
}

/** Line ranges (0-based, end exclusive) the rule engine reads as text, beside the parsed fields. */
export interface LogRanges {
  /** From the call-stack header to the module list: frames, registers and stack (CLASSIC's "call stack" segment). */
  callStack: [number, number] | null;
  /** NSF's "Possible relevant objects" block; for the other loggers the register/stack area. */
  relevantObjects: [number, number] | null;
}

export interface ParseContext {
  name: string;
  lines: string[];
  log: ParsedCrashLog;
  problems: Problems;
  ranges: LogRanges;
}

/** Relevant objects kept per log. */
export const MAX_OBJECTS = 5_000;

/**
 * Call-stack lines [start, end) into `log.callStack`, counting the lines that are not frames;
 * `benign` lines (a logger's own markers) are not counted.
 */
export function readFrames(
  ctx: ParseContext,
  start: number,
  end: number,
  section: string,
  benign?: RegExp,
): void {
  const { lines, log } = ctx;
  let unparsed = 0;
  for (let i = start; i < end; i++) {
    const raw = lines[i] ?? '';
    if (isBlank(raw)) continue;
    const f = parseFrame(raw, log.callStack.length);
    if (f && log.callStack.length < MAX_ENTRIES) log.callStack.push(f);
    else if (!benign?.test(raw)) unparsed++;
  }
  if (unparsed > 0)
    ctx.problems.add('unparsed_lines', `${unparsed} line(s) in ${section} not understood`, start);
}

/** Module-list lines [start, end) into `log.modules`. */
export function readModules(ctx: ParseContext, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const line = ctx.lines[i] ?? '';
    // Trainwreck writes each module's base, hash and version on indented lines under its name
    // (each with a ":", which other module lines rarely have: the regex runs only then).
    const detail = line.includes(':') ? /^\s+(Address|SHA|Version):\s*(\S*)/.exec(head(line)) : null;
    const last = ctx.log.modules[ctx.log.modules.length - 1];
    if (detail && last) {
      if (detail[1] === 'Address') last.base ??= detail[2] || null;
      else if (detail[1] === 'Version')
        last.version ??= /\d+(?:\.\d+){1,3}/.exec(detail[2] ?? '')?.[0] ?? null;
      continue;
    }
    const m = parseModuleLine(line);
    if (m && ctx.log.modules.length < MAX_ENTRIES) ctx.log.modules.push(m);
  }
}

/** A section this parser does not know, kept as written (at most MAX_RAW_LINES of it). */
export function keepUnknownSection(
  ctx: ParseContext,
  name: string,
  line: number,
  start: number,
  end: number,
): void {
  ctx.log.unknownSections.push({
    name,
    line,
    lines: ctx.lines.slice(start, Math.min(end, start + MAX_RAW_LINES)).map((l) => head(l)),
    truncated: end - start > MAX_RAW_LINES,
  });
}
