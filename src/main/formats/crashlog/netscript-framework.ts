import type { CrashLogSlot } from '../../../shared/domain/crashlog';
import {
  MAX_ENTRIES,
  MAX_OBJECTS,
  head,
  keepUnknownSection,
  parseExceptionLine,
  parseGamePluginLine,
  parseRegisterLine,
  parseStackLine,
  readFrames,
  readModules,
  isBlank,
  soleChar,
  type ParseContext,
} from './common';
import { inlineObject } from './relevant-objects';

/**
 * .NET Script Framework (Skyrim SE 1.5.97): the exception on the first line, "Key: value"
 * header lines, then blocks written as a title line ("Probable callstack", "Game plugins
 * (2368)") followed by "{" … "}". Blocks may nest (the NSF "Plugins" list).
 */

const OPEN = 123; // "{"
const CLOSE = 125; // "}"

interface BlockRef {
  title: string;
  count: number | null;
  line: number;
  start: number;
  end: number;
  closed: boolean;
}

/**
 * Top-level blocks start at column 0; nested ones (the NSF plugin entries) are indented. A
 * block missing its "}" (truncated or damaged log) ends where the next top-level title starts.
 */
function findBlocks(lines: readonly string[], from: number, to: number, nested = false): BlockRef[] {
  const blocks: BlockRef[] = [];
  // Every line's brace test is made once (`soleChar`), and the "{" under a title line is the
  // rare part: the title itself is looked at only when the next line is "{".
  const isTitle = (k: number, next: number) => {
    if (next !== OPEN) return false;
    const title = (lines[k] ?? '').trimEnd();
    return (
      title.length > 0 && title.length < 120 && (nested || !/^\s/.test(title)) && !/^\s*[{}]$/.test(title)
    );
  };
  let i = from;
  let next = soleChar(lines[i + 1]);
  while (i < to) {
    if (!isTitle(i, next)) {
      i++;
      next = soleChar(lines[i + 1]);
      continue;
    }
    const title = (lines[i] ?? '').trim();
    const m = /^(.*?)\s*(?:\((\d+)\))?$/.exec(title);
    let depth = 0;
    let j = i + 1;
    let closed = false;
    // `cur`: line j's sole character; `after`: line j + 1's (what isTitle(j) needs).
    let cur = next;
    for (; j < to; j++) {
      const after = soleChar(lines[j + 1]);
      if (cur === OPEN) depth++;
      else if (cur === CLOSE) {
        depth--;
        if (depth === 0) {
          closed = true;
          break;
        }
      } else if (!nested && depth === 1 && j > i + 1 && isTitle(j, after)) break;
      cur = after;
    }
    blocks.push({
      title: m?.[1] ?? title,
      count: m?.[2] !== undefined ? Number(m[2]) : null,
      line: i,
      start: i + 2,
      end: j,
      closed,
    });
    i = closed ? j + 1 : j;
    next = soleChar(lines[i + 1]);
  }
  return blocks;
}

function slots(
  ctx: ParseContext,
  b: BlockRef,
  parse: (l: string) => CrashLogSlot | null,
  into: CrashLogSlot[],
): void {
  let unparsed = 0;
  for (let i = b.start; i < b.end; i++) {
    const raw = ctx.lines[i] ?? '';
    if (isBlank(raw)) continue;
    const s = parse(raw);
    if (s && into.length < MAX_ENTRIES) into.push(s);
    else unparsed++;
  }
  if (unparsed > 0)
    ctx.problems.add('unparsed_lines', `${unparsed} line(s) in ${b.title} not understood`, b.start);
}

/** The NSF "Plugins" block: one nested block per .NET plugin with Name/Version lines. */
function nsfPlugins(ctx: ParseContext, b: BlockRef): void {
  const inner = findBlocks(ctx.lines, b.start, b.end, true);
  for (const p of inner) {
    let version: string | null = null;
    let name: string | null = null;
    for (let i = p.start; i < p.end; i++) {
      const kv = /^\s*(Name|Version):\s*"?(.*?)"?\s*$/.exec(head(ctx.lines[i] ?? ''));
      if (kv?.[1] === 'Version') version = kv[2] ?? null;
      if (kv?.[1] === 'Name') name = kv[2] ?? null;
    }
    if (ctx.log.xsePlugins.length < MAX_ENTRIES)
      ctx.log.xsePlugins.push({ name: name ? `${p.title} (${name})` : p.title, version, kind: 'nsf' });
  }
}

export function parseNetScriptFramework(ctx: ParseContext): void {
  const { lines, log, problems } = ctx;
  const blocks = findBlocks(lines, 0, lines.length);
  const headerEnd = blocks[0]?.line ?? lines.length;
  for (let i = 0; i < headerEnd; i++) {
    const line = head(lines[i] ?? '');
    if (!line.trim()) continue;
    if (!log.exception) {
      const ex = parseExceptionLine(line);
      if (ex) {
        log.exception = ex;
        continue;
      }
    }
    const kv = /^([A-Za-z][A-Za-z0-9 ]{0,40}):\s*(.*?)\s*$/.exec(line);
    if (kv && Object.keys(log.header).length < 100) log.header[kv[1] ?? ''] = kv[2] ?? '';
  }
  const app = log.header.ApplicationName ?? '';
  const appVersion = log.header.ApplicationVersion ?? null;
  log.loggerVersion = log.header.FrameworkVersion ?? null;
  if (/skyrim/i.test(app) || /skyrim/i.test(log.header.GameLibrary ?? '')) {
    log.game = /VR/i.test(app) ? 'Skyrim VR' : 'Skyrim SE';
    log.gameFamily = 'skyrim';
  } else if (/fallout4/i.test(app)) {
    log.game = 'Fallout 4';
    log.gameFamily = 'fallout4';
  }
  // NSF writes four-part versions ("1.5.97.0"); the other loggers and the rules use three.
  if (appVersion) log.gameVersion = appVersion.replace(/^(\d+\.\d+\.\d+)\.0$/, '$1');

  let callStackStart: number | null = null;
  let callStackEnd: number | null = null;
  const seen = new Set<string>();
  for (const b of blocks) {
    const title = b.title.toLowerCase();
    seen.add(title);
    log.outline.push({ name: b.title, line: b.line + 1 });
    if (!b.closed) {
      problems.add('truncated', `section "${b.title}" is not closed (truncated log?)`, b.line + 1);
      log.missing.push(`the end of "${b.title}" (cut off)`);
    }
    if (title === 'probable callstack') callStackStart ??= b.line;
    if (title === 'modules' && callStackStart !== null) callStackEnd ??= b.line;
    if (title === 'possible relevant objects') {
      ctx.ranges.relevantObjects = [b.start, b.end];
      for (let i = b.start; i < b.end; i++) {
        const t = head(lines[i] ?? '').trim();
        const m = /^\[\s*(\d+)\s*\]\s*(.*)$/.exec(t);
        if (m) inlineObject(`[${m[1]}]`, m[2] ?? '', log.relevantObjects, MAX_OBJECTS, true);
      }
    } else if (title === 'probable callstack') {
      // NSF marks frames it could not attribute with "(unknown functions)"; it is not damage.
      readFrames(ctx, b.start, b.end, b.title, /^\s*\(unknown functions\)\s*$/);
    } else if (title === 'registers') slots(ctx, b, parseRegisterLine, log.registers);
    else if (title === 'stack') slots(ctx, b, parseStackLine, log.stack);
    else if (title === 'modules') readModules(ctx, b.start, b.end);
    else if (title === 'plugins') nsfPlugins(ctx, b);
    else if (title === 'game plugins') {
      log.pluginsListed = true;
      for (let i = b.start; i < b.end; i++) {
        const p = parseGamePluginLine(lines[i] ?? '', log.gamePlugins.length);
        if (p && log.gamePlugins.length < MAX_ENTRIES) log.gamePlugins.push(p);
      }
      if (b.count !== null && b.closed && b.count !== log.gamePlugins.length)
        problems.add(
          'count_mismatch',
          `Game plugins says ${b.count} but lists ${log.gamePlugins.length}`,
          b.line + 1,
        );
    } else keepUnknownSection(ctx, b.title, b.line + 1, b.start, b.end);
  }
  if (callStackStart !== null) ctx.ranges.callStack = [callStackStart, callStackEnd ?? lines.length];
  // NSF writes "Game plugins" only once the game has loaded them: in a log that ends cleanly its
  // absence means a crash before that, not a cut log. The other blocks are always written.
  let lastText: string | undefined;
  for (let i = lines.length - 1; i >= 0 && lastText === undefined; i--)
    if (lines[i]!.trim() !== '') lastText = lines[i]!.trim();
  const cut = blocks.some((b) => !b.closed) || lastText !== '}';
  // "what" is said to the player (NSF's headings say the same in other words).
  for (const [want, what] of [
    ['probable callstack', 'call stack'],
    ['registers', 'registers'],
    ['stack', 'stack slots'],
    ['modules', 'module list'],
    ['game plugins', 'plugin list'],
  ] as const) {
    if (!seen.has(want)) {
      problems.add('missing_section', `no "${want}" section (truncated log?)`);
      if (want !== 'game plugins' || cut) log.missing.push(what);
    }
  }
}
