import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
  lines: SymLine[];
}
export interface SymPublic {
  addr: number;
  name: string;
}
export interface StackWin {
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
    module: { os: '', arch: '', id: '', name: '' },
    files: new Map(),
    funcs: [],
    publics: [],
    win: [],
    cfi: [],
  };
  let func: SymFunc | undefined;
  let cfi: CfiRange | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0) continue;
    const c = line.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) {
      // Line record: addr size line filenum (lines start with a hex digit; 'a'-'f' handled below).
      pushLine(func, line);
      continue;
    }
    const sp = line.indexOf(' ');
    const kw = sp < 0 ? line : line.slice(0, sp);
    switch (kw) {
      case 'MODULE': {
        const p = line.split(' ');
        sym.module = { os: p[1] ?? '', arch: p[2] ?? '', id: p[3] ?? '', name: p.slice(4).join(' ') };
        break;
      }
      case 'FILE': {
        const p = line.indexOf(' ', 5);
        sym.files.set(parseInt(line.slice(5, p), 10), line.slice(p + 1));
        break;
      }
      case 'FUNC': {
        let p = line.split(' ');
        if (p[1] === 'm') p = [p[0] ?? '', ...p.slice(2)];
        func = {
          addr: hexNum(p[1]),
          size: hexNum(p[2]),
          paramSize: hexNum(p[3]),
          name: p.slice(4).join(' '),
          lines: [],
        };
        sym.funcs.push(func);
        break;
      }
      case 'PUBLIC': {
        let p = line.split(' ');
        if (p[1] === 'm') p = [p[0] ?? '', ...p.slice(2)];
        sym.publics.push({ addr: hexNum(p[1]), name: p.slice(3).join(' ') });
        func = undefined;
        break;
      }
      case 'STACK': {
        func = undefined;
        if (line.startsWith('STACK WIN ')) {
          const p = line.split(' ');
          const hasProgram = p[11] === '1';
          const w: StackWin = {
            type: hexNum(p[2]),
            addr: hexNum(p[3]),
            size: hexNum(p[4]),
            prologSize: hexNum(p[5]),
            paramSize: hexNum(p[7]),
            savedRegSize: hexNum(p[8]),
            localSize: hexNum(p[9]),
            allocatesBasePointer: !hasProgram && p[12] === '1',
          };
          if (hasProgram) w.program = p.slice(12).join(' ');
          sym.win.push(w);
        } else if (line.startsWith('STACK CFI INIT ')) {
          const p = line.split(' ');
          cfi = { addr: hexNum(p[3]), size: hexNum(p[4]), init: p.slice(5).join(' '), deltas: [] };
          sym.cfi.push(cfi);
        } else if (line.startsWith('STACK CFI ') && cfi) {
          const p = line.split(' ');
          cfi.deltas.push({ addr: hexNum(p[2]), rules: p.slice(3).join(' ') });
        }
        break;
      }
      default:
        if (/^[0-9a-f]/.test(kw)) pushLine(func, line);
        break;
    }
  }
  const byAddr = <T extends { addr: number }>(a: T, b: T): number => a.addr - b.addr;
  sym.funcs.sort(byAddr);
  sym.publics.sort(byAddr);
  sym.win.sort(byAddr);
  sym.cfi.sort(byAddr);
  return sym;
}

function pushLine(func: SymFunc | undefined, line: string): void {
  if (!func) return;
  const p = line.split(' ');
  func.lines.push({
    addr: hexNum(p[0]),
    size: hexNum(p[1]),
    line: parseInt(p[2] ?? '0', 10),
    file: parseInt(p[3] ?? '0', 10),
  });
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
    const l = floor(f.lines, rel);
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

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);
}

/** Loads `<dir>/<pdb>/<debugId>/<pdb minus .pdb>.sym` once per module; a missing file is remembered as absent. */
export class SymbolStore {
  private cache = new Map<string, SymbolFile | null>();
  constructor(private readonly dirs: readonly string[]) {}

  get(pdbName: string, debugId: string): SymbolFile | undefined {
    const pdb = basename(pdbName);
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
