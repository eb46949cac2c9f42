import type { CrashLogSlot, XsePlugin } from '../../../shared/domain/crashlog';
import {
  MAX_ENTRIES,
  MAX_OBJECTS,
  MAX_RAW_LINES,
  head,
  indentWidth,
  isBlank,
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
import { inlineObject, objectsFromDetails } from './relevant-objects';

/** "\tKey: value" lines into `into`; other non-empty lines into `notes` when given. */
function readKeyValues(
  lines: readonly string[],
  start: number,
  end: number,
  into: Record<string, string>,
  notes?: string[],
): void {
  for (let i = start; i < end; i++) {
    const t = head(lines[i] ?? '').trim();
    if (!t) continue;
    const kv = /^([A-Za-z][A-Za-z0-9 +#/()._-]{0,40}?)\s*:\s*(.*)$/.exec(t);
    if (kv && Object.keys(into).length < 100) into[(kv[1] ?? '').trim()] = kv[2] ?? '';
    else if (notes && notes.length < 50) notes.push(t);
  }
}

/**
 * Crash Logger 1.17+ "POSSIBLE RELEVANT OBJECTS:": one object per line, closest first,
 * "\tRSP+3B8: (NiCamera*) "WorldRoot Camera"" or "\tRDX: (TESObjectREFR*) "Name" [0x0001D0E2] (Mod.esp)".
 */
function readObjectLines(ctx: ParseContext, start: number, end: number): void {
  const { lines, log } = ctx;
  for (let i = start; i < end; i++) {
    const t = head(lines[i] ?? '').trim();
    const m = /^((?:[RE]?[A-Z0-9]{1,4}|[RE]?SP\s*\+\s*[0-9A-Fa-f]+))\s*:\s*(.+)$/.exec(t);
    if (!m || log.relevantObjects.length >= MAX_OBJECTS) continue;
    const where = (m[1] ?? '').replace(/\s+/g, '').toUpperCase();
    const body = m[2] ?? '';
    const simple =
      /^\(([A-Za-z_][\w:<>, ]*?)\*+\)\s*(?:"([^"]*)")?\s*(?:\[0x([0-9A-Fa-f]{1,8})\])?\s*(?:\(([^()]+\.es[pml])\))?/i.exec(
        body,
      );
    if (simple && (simple[2] || simple[3] || simple[4])) {
      const file = simple[4]?.trim() ?? null;
      log.relevantObjects.push({
        where,
        type: simple[1]?.trim() ?? null,
        name: simple[2] ?? null,
        editorId: null,
        formId: simple[3] ? simple[3].toUpperCase().padStart(8, '0') : null,
        file,
        files: file ? [file] : [],
        text: body.slice(0, 2000),
      });
    } else inlineObject(where, body, log.relevantObjects, MAX_OBJECTS, true);
  }
}

/**
 * Crash Logger SSE/AE/VR and Buffout 4 (same family; Trainwreck reuses this grammar): a few
 * header lines (game, logger, exception, the logger's own settings), then sections whose
 * header is an upper-case line ending in ":" at column 0, entries indented one tab, and the
 * details of an entry indented deeper.
 */

type Kind =
  | 'system'
  | 'callstack'
  | 'registers'
  | 'stack'
  | 'modules'
  | 'xse'
  | 'plugins'
  | 'objects'
  | 'process'
  | 'thread'
  | 'avanalysis'
  | 'cpp'
  | 'unknown';

/**
 * An upper-case name at column 0 ending in ":", optionally with one parenthesised note that may
 * hold anything ("CALL STACK ([P]robable / [S]tack scan):", "THREAD CONTEXT (HEURISTIC):").
 */
const SECTION_HEADER = /^([A-Z][A-Z0-9 #/_.+-]{0,60}?(?:\s*\([^()]{1,60}\))?)\s*:\s*$/;

function kindOf(name: string): Kind {
  const n = name.replace(/\s+/g, ' ').trim();
  if (n === 'SYSTEM SPECS') return 'system';
  // "CALL STACK ([P]robable / [S]tack scan)" (1.20+), "CALL STACK (HYBRID)"; not the RAW or
  // RECONSTRUCTED listings, which repeat frames the main listing already has.
  if (/^(PROBABLE |POSSIBLE )?CALL ?STACK(?: \((?!.*RAW)[^)]*\))?$/.test(n) && !/STACK SCAN\)$/.test(n))
    return 'callstack';
  if (n === 'POSSIBLE RELEVANT OBJECTS') return 'objects';
  if (n === 'PROCESS INFO') return 'process';
  if (/^THREAD CONTEXT/.test(n)) return 'thread';
  if (n === 'ACCESS VIOLATION ANALYSIS') return 'avanalysis';
  if (n === 'C++ EXCEPTION') return 'cpp';
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
    if (isBlank(line)) {
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
    if (isBlank(raw)) continue;
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
      case 'objects':
        readObjectLines(ctx, start, end);
        break;
      case 'process':
        readKeyValues(lines, start, end, log.processInfo);
        break;
      case 'thread':
        readKeyValues(lines, start, end, log.threadContext);
        break;
      case 'avanalysis': {
        const av = (log.accessViolation ??= { fields: {}, notes: [] });
        readKeyValues(lines, start, end, av.fields, av.notes);
        break;
      }
      case 'cpp': {
        const kv: Record<string, string> = {};
        readKeyValues(lines, start, end, kv);
        log.cppException = {
          type: kv.Type ?? null,
          info: kv.Info ?? null,
          throwLocation: kv['Throw Location'] ?? null,
          module: kv.Module && !/^</.test(kv.Module) ? kv.Module : null,
        };
        break;
      }
      default:
        keepUnknownSection(ctx, sec.name, sec.index + 1, start, end);
    }
  }
  if (callStackStart !== null) {
    ctx.ranges.callStack = [callStackStart, callStackEnd ?? lines.length];
    ctx.ranges.relevantObjects = ctx.ranges.callStack;
  }
  for (const [kind, label, what] of [
    ['callstack', 'PROBABLE CALL STACK', 'call stack'],
    ['registers', 'REGISTERS', 'registers'],
    ['stack', 'STACK', 'stack slots'],
    ['modules', 'MODULES', 'module list'],
    ['plugins', 'PLUGINS', 'plugin list'],
  ] as const) {
    if (!seen.has(kind)) {
      problems.add('missing_section', `no ${label} section (truncated log?)`);
      // Trainwreck never writes a load order: not missing, just not there (its parser says so).
      if (!(kind === 'plugins' && log.logger === 'trainwreck')) log.missing.push(`${what} (${label})`);
    }
  }
  if (!seen.has('xse') && (log.logger === 'crashlogger' || log.logger === 'buffout4'))
    log.missing.push(`DLL plugin list (${xseKind.toUpperCase()} PLUGINS)`);
  for (const slot of [...log.registers, ...log.stack])
    objectsFromDetails(slot.name, slot.annotation, slot.details, log.relevantObjects, MAX_OBJECTS);
}
