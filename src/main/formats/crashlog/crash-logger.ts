import type { CrashLogSlot, XsePlugin } from '../../../shared/domain/crashlog';
import {
  MAX_ENTRIES,
  MAX_OBJECTS,
  MAX_RAW_LINES,
  head,
  indentWidth,
  keepUnknownSection,
  parseExceptionLine,
  parseGamePluginLine,
  parsePluginCounts,
  parseRegisterLine,
  parseStackLine,
  parseXsePluginLine,
  readFrames,
  readModules,
  type ParseContext,
} from './common';
import { objectsFromDetails } from './relevant-objects';

/**
 * Crash Logger SSE/AE/VR and Buffout 4 (same family; Trainwreck reuses this grammar): a few
 * header lines (game, logger, exception, the logger's own settings), then sections whose
 * header is an upper-case line ending in ":" at column 0, entries indented one tab, and the
 * details of an entry indented deeper.
 */

type Kind = 'system' | 'callstack' | 'registers' | 'stack' | 'modules' | 'xse' | 'plugins' | 'unknown';

const SECTION_HEADER = /^([A-Z][A-Z0-9 #()/_.-]{0,60}?)\s*:\s*$/;

function kindOf(name: string): Kind {
  const n = name.replace(/\s+/g, ' ').trim();
  if (n === 'SYSTEM SPECS') return 'system';
  if (/^(PROBABLE |POSSIBLE )?CALL ?STACK$/.test(n)) return 'callstack';
  if (n === 'REGISTERS') return 'registers';
  if (n === 'STACK') return 'stack';
  if (n === 'MODULES') return 'modules';
  if (/^(F4SE|SKSE|SKSE64|SFSE|XSE|OBSE|SCRIPT EXTENDER) PLUGINS$/.test(n)) return 'xse';
  if (n === 'PLUGINS' || n === 'GAME PLUGINS') return 'plugins';
  return 'unknown';
}

export function isSectionHeader(line: string): string | null {
  if (line.length > 80 || /^\s/.test(line)) return null;
  const m = SECTION_HEADER.exec(line);
  return m ? (m[1] ?? null) : null;
}

/** Everything above the first section: version lines, the exception and its details, echoed settings. */
function parseHeaderZone(ctx: ParseContext, end: number, skip: ReadonlySet<number>): void {
  const { lines, log } = ctx;
  let settingsSection: string | null = null;
  let inException = false;
  const unknown: string[] = [];
  for (let i = 0; i < end; i++) {
    const raw = lines[i] ?? '';
    const line = head(raw);
    if (skip.has(i)) continue;
    if (!line.trim()) {
      inException = false;
      continue;
    }
    if (!log.exception) {
      const ex = parseExceptionLine(line);
      if (ex) {
        log.exception = ex;
        inException = true;
        continue;
      }
    }
    if (inException && /^\S/.test(line) && log.exception && log.exception.details.length < 20) {
      log.exception.details.push(line.trim());
      continue;
    }
    const sect = /^\s+\[([A-Za-z0-9_ ]{1,40})\]\s*$/.exec(line);
    if (sect) {
      settingsSection = sect[1] ?? null;
      continue;
    }
    const kv = /^\s+([A-Za-z0-9_]{1,60}):\s*(.*?)\s*$/.exec(line);
    if (kv && settingsSection) {
      const bucket = (log.settings[settingsSection] ??= {});
      if (Object.keys(bucket).length < 500) bucket[kv[1] ?? ''] = kv[2] ?? '';
      continue;
    }
    if (unknown.length < MAX_RAW_LINES) unknown.push(raw.length > 4096 ? raw.slice(0, 4096) : raw);
  }
  if (unknown.length > 0)
    log.unknownSections.push({
      name: '(header)',
      line: 1,
      lines: unknown,
      truncated: unknown.length >= MAX_RAW_LINES,
    });
}

function openQuote(slot: CrashLogSlot): boolean {
  const text = [slot.annotation ?? '', ...slot.details].join('\n');
  return (text.match(/"/g)?.length ?? 0) % 2 === 1;
}

/** Registers and stack: an entry line, then the lines indented deeper belong to it. */
function parseSlots(
  ctx: ParseContext,
  start: number,
  end: number,
  parse: (line: string) => CrashLogSlot | null,
  into: CrashLogSlot[],
  section: string,
): void {
  let entryIndent = -1;
  let cur: CrashLogSlot | null = null;
  let unparsed = 0;
  for (let i = start; i < end; i++) {
    const raw = ctx.lines[i] ?? '';
    if (!raw.trim()) continue;
    const ind = indentWidth(raw);
    if (cur && entryIndent >= 0 && ind > entryIndent) {
      if (cur.details.length < 400) cur.details.push(head(raw));
      continue;
    }
    const slot = parse(raw);
    if (!slot && cur && openQuote(cur)) {
      // A string value with a newline in it continues on the next line(s).
      if (cur.details.length < 400) cur.details.push(head(raw));
      continue;
    }
    if (slot && into.length < MAX_ENTRIES) {
      if (entryIndent < 0) entryIndent = ind;
      into.push(slot);
      cur = slot;
    } else {
      cur = null;
      unparsed++;
    }
  }
  if (unparsed > 0)
    ctx.problems.add('unparsed_lines', `${unparsed} line(s) in ${section} not understood`, start);
}

export function parseCrashLoggerFamily(
  ctx: ParseContext,
  xseKind: XsePlugin['kind'],
  skip: ReadonlySet<number>,
): void {
  const { lines, log, problems } = ctx;
  const headers: { index: number; name: string; kind: Kind }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const name = isSectionHeader(lines[i] ?? '');
    if (name) headers.push({ index: i, name, kind: kindOf(name) });
  }
  parseHeaderZone(ctx, headers[0]?.index ?? lines.length, skip);

  const seen = new Set<Kind>();
  let callStackStart: number | null = null;
  let callStackEnd: number | null = null;
  for (let h = 0; h < headers.length; h++) {
    const sec = headers[h]!;
    const start = sec.index + 1;
    const end = headers[h + 1]?.index ?? lines.length;
    log.outline.push({ name: sec.name, line: sec.index + 1 });
    seen.add(sec.kind);
    if (sec.kind === 'callstack') callStackStart ??= start;
    if ((sec.kind === 'modules' || sec.kind === 'xse' || sec.kind === 'plugins') && callStackStart !== null)
      callStackEnd ??= sec.index;
    switch (sec.kind) {
      case 'system':
        for (let i = start; i < end; i++) {
          const kv = /^\s+([^:]{1,60}):\s*(.*?)\s*$/.exec(head(lines[i] ?? ''));
          if (kv && Object.keys(log.system).length < 100) log.system[kv[1]!.trim()] = kv[2] ?? '';
        }
        break;
      case 'callstack':
        readFrames(ctx, start, end, sec.name);
        break;
      case 'registers':
        parseSlots(ctx, start, end, parseRegisterLine, log.registers, sec.name);
        break;
      case 'stack':
        parseSlots(ctx, start, end, parseStackLine, log.stack, sec.name);
        break;
      case 'modules':
        readModules(ctx, start, end);
        break;
      case 'xse':
        for (let i = start; i < end; i++) {
          const p = parseXsePluginLine(lines[i] ?? '', xseKind);
          if (p && log.xsePlugins.length < MAX_ENTRIES) log.xsePlugins.push(p);
        }
        break;
      case 'plugins':
        log.pluginsListed = true;
        for (let i = start; i < end; i++) {
          const line = lines[i] ?? '';
          const counts = log.pluginCounts ? null : parsePluginCounts(line);
          if (counts) {
            log.pluginCounts = counts;
            continue;
          }
          const p = parseGamePluginLine(line, log.gamePlugins.length);
          if (p && log.gamePlugins.length < MAX_ENTRIES) log.gamePlugins.push(p);
        }
        break;
      default:
        keepUnknownSection(ctx, sec.name, sec.index + 1, start, end);
    }
  }
  if (callStackStart !== null) {
    ctx.ranges.callStack = [callStackStart, callStackEnd ?? lines.length];
    ctx.ranges.relevantObjects = ctx.ranges.callStack;
  }
  for (const [kind, label] of [
    ['callstack', 'PROBABLE CALL STACK'],
    ['registers', 'REGISTERS'],
    ['stack', 'STACK'],
    ['modules', 'MODULES'],
    ['plugins', 'PLUGINS'],
  ] as const) {
    if (!seen.has(kind)) problems.add('missing_section', `no ${label} section (truncated log?)`);
  }
  for (const slot of [...log.registers, ...log.stack])
    objectsFromDetails(slot.name, slot.annotation, slot.details, log.relevantObjects, MAX_OBJECTS);
}
