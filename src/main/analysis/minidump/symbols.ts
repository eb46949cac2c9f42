import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileNameOf } from '../../../shared/text';

/**
 * A parsed Breakpad .sym file: functions with line records, publics, and unwind (CFI / STACK WIN)
 * rules. Where records overlap, the file is resolved the way minidump_stackwalk resolves it (a
 * function, line or CFI range overlapping an earlier one is dropped; STACK WIN records nest; the
 * first PUBLIC at an address wins), so both give a frame the same name and the same unwind rule.
 */
export interface SymLine {
  addr: number;
  size: number;
  line: number;
  file: number;
}
export interface SymFunc {
  addr: number;
  size: number;
  paramSize: number;
  name: string;
  /** Parsed on first lookup: most functions of a big .sym file are never asked about. */
  lines: SymLine[] | null;
  linesFrom: number;
  linesTo: number;
}
export interface SymPublic {
  addr: number;
  paramSize: number;
  name: string;
}
export interface StackWin {
  type: number;
  addr: number;
  size: number;
  /** The full record, decoded by `stackWinDetail` only for the record an unwind actually uses. */
  raw: string;
}
export interface StackWinDetail {
  type: number;
  addr: number;
  size: number;
  prologSize: number;
  paramSize: number;
  savedRegSize: number;
  localSize: number;
  program?: string;
  allocatesBasePointer: boolean;
}
export interface CfiRange {
  addr: number;
  size: number;
  init: string;
}
export interface SymbolFile {
  text: string;
  module: { os: string; arch: string; id: string; name: string };
  files: Map<number, string>;
  /** Address order, no overlaps. */
  funcs: SymFunc[];
  /** Address order, one per address. */
  publics: SymPublic[];
  /** File order (nesting is resolved when the unwind tables are first needed). */
  win: StackWin[];
  /** STACK CFI INIT ranges in address order, no overlaps. */
  cfi: CfiRange[];
  /** STACK CFI delta rules by address (a later record at the same address replaces an earlier one). */
  cfiDeltas: { addr: number; rules: string }[];
  /** STACK WIN lookup trees for FRAME_DATA (4) and FPO (0) records, built on first use. */
  winTrees?: { frameData: RangeTree<StackWin>; fpo: RangeTree<StackWin> };
}

const hexNum = (s: string | undefined): number => parseInt(s ?? '', 16);

/**
 * Sorts ranges by address and drops every range that overlaps one listed before it in `items`
 * (file order), as Breakpad's exclusive range map does. Zero-sized ranges are dropped too.
 */
export function exclusiveRanges<T extends { addr: number; size: number }>(items: readonly T[]): T[] {
  const order = items
    .map((it, i) => ({ it, i }))
    .filter((x) => x.it.size > 0 && Number.isFinite(x.it.addr))
    .sort((a, b) => a.it.addr - b.it.addr || a.i - b.i);
  const out: T[] = [];
  let k = 0;
  while (k < order.length) {
    const first = order[k]!;
    let end = first.it.addr + first.it.size;
    let j = k + 1;
    while (j < order.length && order[j]!.it.addr < end) {
      end = Math.max(end, order[j]!.it.addr + order[j]!.it.size);
      j++;
    }
    if (j === k + 1) out.push(first.it);
    else {
      // A cluster of overlapping ranges (rare): the earliest in the file keeps its place.
      const kept: T[] = [];
      for (const { it } of order.slice(k, j).sort((a, b) => a.i - b.i))
        if (kept.every((o) => it.addr >= o.addr + o.size || it.addr + it.size <= o.addr)) kept.push(it);
      out.push(...kept.sort((a, b) => a.addr - b.addr));
    }
    k = j;
  }
  return out;
}

/**
 * Nested ranges (Breakpad's ContainedRangeMap): a range may contain others or lie inside one,
 * but one that partly overlaps an earlier range, or repeats it exactly, is refused. A lookup
 * returns the innermost range holding the address.
 */
export class RangeTree<T> {
  /** Children sorted by address; none overlaps another. */
  private readonly children: RangeNode<T>[] = [];

  insert(addr: number, size: number, value: T): boolean {
    if (!(size > 0)) return false;
    return insertInto(this.children, addr, addr + size - 1, value);
  }

  find(addr: number): T | undefined {
    let list = this.children;
    let found: T | undefined;
    for (;;) {
      const i = firstEndingAtOrAfter(list, addr);
      const n = list[i];
      if (!n || addr < n.base) return found;
      found = n.value;
      list = n.children;
    }
  }
}

interface RangeNode<T> {
  base: number;
  high: number;
  value: T;
  children: RangeNode<T>[];
}

/** Index of the first node whose high end is >= x (list sorted by address, non-overlapping). */
function firstEndingAtOrAfter<T>(list: RangeNode<T>[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.high < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertInto<T>(list: RangeNode<T>[], base: number, high: number, value: T): boolean {
  const iBase = firstEndingAtOrAfter(list, base);
  const iHigh = firstEndingAtOrAfter(list, high);
  const atBase = list[iBase];
  if (iBase === iHigh && atBase && base >= atBase.base) {
    // Inside an existing range: an identical range is refused, a smaller one nests.
    if (atBase.base === base && atBase.high === high) return false;
    return insertInto(atBase.children, base, high, value);
  }
  const atHigh = list[iHigh];
  const containsHigh = atHigh !== undefined && high >= atHigh.base;
  // Ranges the new one meets must lie wholly inside it.
  if ((atBase && base > atBase.base) || (containsHigh && high < atHigh.high)) return false;
  const end = containsHigh ? iHigh + 1 : iHigh;
  const adopted = list.splice(iBase, end - iBase, { base, high, value, children: [] });
  list[iBase]!.children = adopted;
  return true;
}

export function parseSymbolFile(text: string): SymbolFile {
  const sym: SymbolFile = {
    text,
    module: { os: '', arch: '', id: '', name: '' },
    files: new Map(),
    funcs: [],
    publics: [],
    win: [],
    cfi: [],
    cfiDeltas: [],
  };
  const funcs: SymFunc[] = [];
  const publics: SymPublic[] = [];
  const cfi: CfiRange[] = [];
  const deltas = new Map<number, string>();
  let func: SymFunc | undefined;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const start = pos;
    pos = end + 1;
    const c = text.charCodeAt(start);
    // Line records (hex address first) are only delimited here; lookup parses them.
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) {
      if (func) {
        if (func.linesFrom < 0) func.linesFrom = start;
        func.linesTo = end;
      }
      continue;
    }
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (c === 0x53 /* S */ && line.startsWith('STACK ')) {
      func = undefined;
      parseStackRecord(line, sym, cfi, deltas);
      continue;
    }
    if (line.startsWith('FUNC ')) {
      let p = line.split(' ');
      if (p[1] === 'm') p = [p[0] ?? '', ...p.slice(2)];
      func = {
        addr: hexNum(p[1]),
        size: hexNum(p[2]),
        paramSize: hexNum(p[3]),
        name: p.slice(4).join(' '),
        lines: null,
        linesFrom: -1,
        linesTo: -1,
      };
      funcs.push(func);
    } else if (line.startsWith('PUBLIC ')) {
      let p = line.split(' ');
      if (p[1] === 'm') p = [p[0] ?? '', ...p.slice(2)];
      publics.push({ addr: hexNum(p[1]), paramSize: hexNum(p[2]), name: p.slice(3).join(' ') });
      func = undefined;
    } else if (line.startsWith('FILE ')) {
      const p = line.indexOf(' ', 5);
      sym.files.set(parseInt(line.slice(5, p), 10), line.slice(p + 1));
    } else if (line.startsWith('MODULE ')) {
      const p = line.split(' ');
      sym.module = { os: p[1] ?? '', arch: p[2] ?? '', id: p[3] ?? '', name: p.slice(4).join(' ') };
    }
  }
  sym.funcs = exclusiveRanges(funcs);
  const seen = new Set<number>();
  sym.publics = publics
    .filter((p) => Number.isFinite(p.addr) && !seen.has(p.addr) && seen.add(p.addr))
    .sort((a, b) => a.addr - b.addr);
  sym.cfi = exclusiveRanges(cfi);
  sym.cfiDeltas = [...deltas].map(([addr, rules]) => ({ addr, rules })).sort((a, b) => a.addr - b.addr);
  return sym;
}

function parseStackRecord(line: string, sym: SymbolFile, cfi: CfiRange[], deltas: Map<number, string>): void {
  if (line.startsWith('STACK WIN ')) {
    const p = winFields(line);
    const type = hexNum(p?.[0]);
    // Breakpad needs all eleven fields and one of its five frame-info types.
    if (p && type >= 0 && type <= 4)
      sym.win.push({ type, addr: hexNum(p[1]), size: hexNum(p[2]), raw: line });
  } else if (line.startsWith('STACK CFI INIT ')) {
    const p = line.split(' ', 5);
    cfi.push({ addr: hexNum(p[3]), size: hexNum(p[4]), init: line.slice(p.join(' ').length + 1) });
  } else if (line.startsWith('STACK CFI ')) {
    const p = line.split(' ', 3);
    const addr = hexNum(p[2]);
    if (Number.isFinite(addr)) deltas.set(addr, line.slice(p.join(' ').length + 1));
  }
}

/**
 * The eleven fields after "STACK WIN": ten space-separated numbers, then the program string or
 * the allocates-base-pointer flag as the rest of the line; undefined when fields are missing.
 */
function winFields(raw: string): string[] | undefined {
  const rest = raw.slice('STACK WIN '.length);
  const out: string[] = [];
  const re = /[^ ]+/g;
  let m: RegExpExecArray | null;
  while (out.length < 10 && (m = re.exec(rest)) !== null) out.push(m[0]);
  if (out.length < 10) return undefined;
  const tail = rest.slice(re.lastIndex).replace(/^ +/, '');
  if (tail === '') return undefined;
  out.push(tail);
  return out;
}

/** Decodes a STACK WIN record: type rva code_size prolog epilog params saved_regs locals max_stack has_program rest. */
export function stackWinDetail(w: StackWin): StackWinDetail {
  const p = winFields(w.raw) ?? [];
  const hasProgram = hexNum(p[9]) !== 0;
  const d: StackWinDetail = {
    type: w.type,
    addr: w.addr,
    size: w.size,
    prologSize: hexNum(p[3]),
    paramSize: hexNum(p[5]) >>> 0,
    savedRegSize: hexNum(p[6]) >>> 0,
    localSize: hexNum(p[7]) >>> 0,
    allocatesBasePointer: !hasProgram && hexNum(p[10]) !== 0 && !Number.isNaN(hexNum(p[10])),
  };
  if (hasProgram) d.program = p[10] ?? '';
  return d;
}

/** Last element with addr <= x in an addr-sorted array. */
export function floor<T extends { addr: number }>(arr: readonly T[], x: number): T | undefined {
  let lo = 0;
  let hi = arr.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = arr[mid];
    if (v === undefined) break;
    if (v.addr <= x) {
      best = v;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function funcLines(sym: SymbolFile, f: SymFunc): SymLine[] {
  if (f.lines) return f.lines;
  const lines: SymLine[] = [];
  if (f.linesFrom >= 0) {
    for (const raw of sym.text.slice(f.linesFrom, f.linesTo).split('\n')) {
      const p = raw.split(' ');
      if (p.length < 4) continue;
      lines.push({
        addr: hexNum(p[0]),
        size: hexNum(p[1]),
        line: parseInt(p[2] ?? '0', 10),
        file: parseInt(p[3] ?? '0', 10),
      });
    }
  }
  f.lines = exclusiveRanges(lines);
  return f.lines;
}

export interface SourceLocation {
  function?: string;
  functionOffset?: number;
  file?: string;
  line?: number;
  lineOffset?: number;
}

/** The FUNC covering `rel`, or undefined. */
function funcAt(sym: SymbolFile, rel: number): SymFunc | undefined {
  const f = floor(sym.funcs, rel);
  return f && rel < f.addr + f.size ? f : undefined;
}

/**
 * FUNC (with line) first, then the nearest PUBLIC below `rel` unless a FUNC lies between them,
 * the way Breakpad resolves a frame. `rel` is the instruction (a caller's return address minus
 * one); offsets are measured from `addrForOffset` (the return address itself).
 */
export function lookup(sym: SymbolFile, rel: number, addrForOffset = rel): SourceLocation | undefined {
  const f = funcAt(sym, rel);
  if (f) {
    const out: SourceLocation = { function: f.name, functionOffset: addrForOffset - f.addr };
    const l = floor(funcLines(sym, f), rel);
    if (l && rel < l.addr + l.size) {
      const file = sym.files.get(l.file);
      if (file !== undefined) out.file = file;
      out.line = l.line;
      out.lineOffset = addrForOffset - l.addr;
    }
    return out;
  }
  const p = floor(sym.publics, rel);
  const below = floor(sym.funcs, rel);
  if (p && (!below || p.addr > below.addr))
    return { function: p.name, functionOffset: addrForOffset - p.addr };
  return undefined;
}

/** What minidump_stackwalk knows of a frame's x86 Windows unwind data. */
export type WindowsFrameInfo =
  | { kind: 'full'; detail: StackWinDetail }
  /** No STACK WIN record, but the covering FUNC gives the size of the frame's parameters. */
  | { kind: 'params'; paramSize: number };

/** STACK WIN FRAME_DATA first, then FPO, then a FUNC's parameter size (Breakpad's order). */
export function windowsFrameInfo(sym: SymbolFile, rel: number): WindowsFrameInfo | undefined {
  if (!sym.winTrees) {
    const frameData = new RangeTree<StackWin>();
    const fpo = new RangeTree<StackWin>();
    for (const w of sym.win) {
      if (w.type === 4) frameData.insert(w.addr, w.size, w);
      else if (w.type === 0) fpo.insert(w.addr, w.size, w);
    }
    sym.winTrees = { frameData, fpo };
  }
  const w = sym.winTrees.frameData.find(rel) ?? sym.winTrees.fpo.find(rel);
  if (w) return { kind: 'full', detail: stackWinDetail(w) };
  const f = funcAt(sym, rel);
  return f ? { kind: 'params', paramSize: f.paramSize >>> 0 } : undefined;
}

/** The CFI rules in effect at `rel`: the covering INIT record plus every delta up to `rel`. */
export function cfiRulesAt(sym: SymbolFile, rel: number): string[] | undefined {
  const init = floor(sym.cfi, rel);
  if (!init || rel >= init.addr + init.size) return undefined;
  const out = [init.init];
  let lo = 0;
  let hi = sym.cfiDeltas.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sym.cfiDeltas[mid]!.addr < init.addr) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sym.cfiDeltas.length && sym.cfiDeltas[i]!.addr <= rel; i++)
    out.push(sym.cfiDeltas[i]!.rules);
  return out;
}

/** Loads `<dir>/<pdb>/<debugId>/<pdb minus .pdb>.sym` once per module; a missing file is remembered as absent. */
export class SymbolStore {
  private cache = new Map<string, SymbolFile | null>();
  constructor(private readonly dirs: readonly string[]) {}

  get(pdbName: string, debugId: string): SymbolFile | undefined {
    const pdb = fileNameOf(pdbName);
    const key = `${pdb}/${debugId}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let found: SymbolFile | null = null;
    const symName = pdb.toLowerCase().endsWith('.pdb') ? `${pdb.slice(0, -4)}.sym` : `${pdb}.sym`;
    for (const dir of this.dirs) {
      const path = join(dir, pdb, debugId, symName);
      if (existsSync(path)) {
        found = parseSymbolFile(readFileSync(path, 'utf8'));
        break;
      }
    }
    this.cache.set(key, found);
    return found ?? undefined;
  }
}
