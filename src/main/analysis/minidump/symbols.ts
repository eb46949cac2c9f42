import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileNameOf } from '../../../shared/text';

/** A parsed Breakpad .sym file: functions with line records, publics, and unwind (CFI / STACK WIN) rules. */
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
  deltas: { addr: number; rules: string }[];
}
export interface SymbolFile {
  text: string;
  module: { os: string; arch: string; id: string; name: string };
  files: Map<number, string>;
  funcs: SymFunc[];
  publics: SymPublic[];
  win: StackWin[];
  cfi: CfiRange[];
}

const hexNum = (s: string | undefined): number => parseInt(s ?? '', 16);

export function parseSymbolFile(text: string): SymbolFile {
  const sym: SymbolFile = {
    text,
    module: { os: '', arch: '', id: '', name: '' },
    files: new Map(),
    funcs: [],
    publics: [],
    win: [],
    cfi: [],
  };
  let func: SymFunc | undefined;
  let cfi: CfiRange | undefined;
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
      if (line.startsWith('STACK WIN ')) {
        const p = line.split(' ', 5);
        sym.win.push({ type: hexNum(p[2]), addr: hexNum(p[3]), size: hexNum(p[4]), raw: line });
      } else if (line.startsWith('STACK CFI INIT ')) {
        const p = line.split(' ', 5);
        cfi = {
          addr: hexNum(p[3]),
          size: hexNum(p[4]),
          init: line.slice(p.join(' ').length + 1),
          deltas: [],
        };
        sym.cfi.push(cfi);
      } else if (line.startsWith('STACK CFI ') && cfi) {
        const p = line.split(' ', 3);
        cfi.deltas.push({ addr: hexNum(p[2]), rules: line.slice(p.join(' ').length + 1) });
      }
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
      sym.funcs.push(func);
    } else if (line.startsWith('PUBLIC ')) {
      let p = line.split(' ');
      if (p[1] === 'm') p = [p[0] ?? '', ...p.slice(2)];
      sym.publics.push({ addr: hexNum(p[1]), name: p.slice(3).join(' ') });
      func = undefined;
    } else if (line.startsWith('FILE ')) {
      const p = line.indexOf(' ', 5);
      sym.files.set(parseInt(line.slice(5, p), 10), line.slice(p + 1));
    } else if (line.startsWith('MODULE ')) {
      const p = line.split(' ');
      sym.module = { os: p[1] ?? '', arch: p[2] ?? '', id: p[3] ?? '', name: p.slice(4).join(' ') };
    }
  }
  const byAddr = <T extends { addr: number }>(a: T, b: T): number => a.addr - b.addr;
  sym.funcs.sort(byAddr);
  sym.publics.sort(byAddr);
  sym.win.sort(byAddr);
  sym.cfi.sort(byAddr);
  return sym;
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
    lines.sort((a, b) => a.addr - b.addr);
  }
  f.lines = lines;
  return lines;
}

/** Decodes a STACK WIN record: type rva code_size prolog epilog params saved_regs locals max_stack has_program rest. */
export function stackWinDetail(w: StackWin): StackWinDetail {
  const p = w.raw.split(' ');
  const hasProgram = p[11] === '1';
  const d: StackWinDetail = {
    type: w.type,
    addr: w.addr,
    size: w.size,
    prologSize: hexNum(p[5]),
    paramSize: hexNum(p[7]),
    savedRegSize: hexNum(p[8]),
    localSize: hexNum(p[9]),
    allocatesBasePointer: !hasProgram && p[12] === '1',
  };
  if (hasProgram) d.program = p.slice(12).join(' ');
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

export interface SourceLocation {
  function?: string;
  functionOffset?: number;
  file?: string;
  line?: number;
  lineOffset?: number;
}

/** FUNC (with line) first, then the nearest PUBLIC, the way Breakpad resolves a frame. */
export function lookup(sym: SymbolFile, rel: number, addrForOffset = rel): SourceLocation | undefined {
  const f = floor(sym.funcs, rel);
  if (f && rel < f.addr + f.size) {
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
  if (p && (!f || p.addr >= f.addr + f.size || p.addr > f.addr)) {
    return { function: p.name, functionOffset: addrForOffset - p.addr };
  }
  return undefined;
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
