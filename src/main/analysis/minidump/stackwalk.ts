import type { ByteSource } from '../../formats/common/byte-source';
import type { CpuContext } from '../../formats/minidump/context';
import type { MdModule, MdThread, Minidump } from '../../formats/minidump/reader';
import type { MdMemoryRange } from '../../formats/minidump/streams';
import { evalExpr, evalProgram, parseCfiRules } from './postfix';
import { floor, lookup, stackWinDetail, type SymbolFile, type SymbolStore } from './symbols';
import { fileNameOf } from '../../../shared/text';

export type FrameTrust = 'context' | 'cfi' | 'frame_pointer' | 'scan';

export interface StackFrame {
  index: number;
  ip: bigint;
  sp: bigint;
  trust: FrameTrust;
  module?: string;
  moduleOffset?: bigint;
  function?: string;
  functionOffset?: number;
  file?: string;
  line?: number;
  lineOffset?: number;
  /** Registers known for this frame (all of them for frame 0, the recovered ones after). */
  regs: Record<string, bigint>;
}

const MAX_FRAMES = 256;
/** Words looked at when scanning for a return address, as Breakpad does for frames without unwind info. */
const SCAN_WORDS = 40;

/** Reads captured process memory: the thread's own stack first, then the dump's memory lists. */
export class DumpMemory {
  constructor(
    private readonly src: ByteSource,
    private readonly ranges: readonly MdMemoryRange[],
  ) {}

  private find(addr: bigint, len: number): MdMemoryRange | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (!r) break;
      if (r.start <= addr) {
        if (addr + BigInt(len) <= r.start + BigInt(r.size)) return r;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return undefined;
  }

  read(addr: bigint, len: number): Buffer | undefined {
    const r = this.find(addr, len);
    if (!r) return undefined;
    try {
      return this.src.read(r.rva + Number(addr - r.start), len, 'memory');
    } catch {
      return undefined;
    }
  }

  word(addr: bigint, size: 4 | 8): bigint | undefined {
    const b = this.read(addr, size);
    if (!b) return undefined;
    return size === 4 ? BigInt(b.readUInt32LE(0)) : b.readBigUInt64LE(0);
  }
}

export function threadMemoryRanges(md: Minidump, thread: MdThread): MdMemoryRange[] {
  // Full-memory dumps may leave the thread's own descriptor empty and keep the stack in Memory64List.
  const own: MdMemoryRange[] =
    thread.stackRva > 0 && thread.stackSize > 0
      ? [{ start: thread.stackStart, size: thread.stackSize, rva: thread.stackRva }]
      : [];
  return [...own, ...md.memory].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

interface Ctx {
  md: Minidump;
  mem: DumpMemory;
  symbols?: SymbolStore;
  ptr: 4 | 8;
  mask: bigint;
  names: { ip: string; sp: string; fp: string };
}

function moduleFor(md: Minidump, addr: bigint): MdModule | undefined {
  return md.modules.find((m) => addr >= m.base && addr < m.base + BigInt(m.size));
}

function symFor(c: Ctx, m: MdModule | undefined): SymbolFile | undefined {
  if (!m || !c.symbols || !m.codeView?.pdbName) return undefined;
  return c.symbols.get(m.codeView.pdbName, m.codeView.debugId);
}

function symbolize(c: Ctx, f: StackFrame): void {
  const m = moduleFor(c.md, f.ip);
  if (!m) return;
  f.module = fileNameOf(m.name);
  f.moduleOffset = f.ip - m.base;
  const sym = symFor(c, m);
  if (!sym) return;
  // A caller's ip is a return address; the call instruction is the byte before it.
  const rel = Number(f.ip - m.base) - (f.index > 0 ? 1 : 0);
  const loc = lookup(sym, rel, Number(f.ip - m.base));
  if (loc) Object.assign(f, loc);
}

function winUnwind(
  c: Ctx,
  sym: SymbolFile,
  rel: number,
  regs: Record<string, bigint>,
): Record<string, bigint> | undefined {
  let best: (typeof sym.win)[number] | undefined;
  for (let i = sym.win.length - 1; i >= 0; i--) {
    const w = sym.win[i];
    if (!w || w.addr > rel) continue;
    if (rel < w.addr + w.size && (!best || w.type === 4)) best = w;
    if (w.addr + 0x100000 < rel) break;
  }
  if (!best) return undefined;
  const win = stackWinDetail(best);
  const vars = new Map<string, bigint>();
  for (const [k, v] of Object.entries(regs)) vars.set(`$${k}`, v);
  const esp = regs.esp ?? 0n;
  vars.set('.cbSavedRegs', BigInt(win.savedRegSize));
  vars.set('.cbParams', BigInt(win.paramSize));
  vars.set('.cbLocals', BigInt(win.localSize));
  const raSearch = (esp + BigInt(win.localSize) + BigInt(win.savedRegSize)) & c.mask;
  vars.set('.raSearchStart', raSearch);
  vars.set('.raSearch', raSearch);
  const program =
    win.program ??
    `$T0 .raSearchStart = $eip $T0 ^ = $esp $T0 4 + =${win.allocatesBasePointer ? ' $ebp $T0 8 - ^ =' : ''}`;
  if (!evalProgram(program, vars, (a) => c.mem.word(a, 4), c.mask)) return undefined;
  const out: Record<string, bigint> = {};
  for (const r of ['eip', 'esp', 'ebp', 'ebx', 'esi', 'edi']) {
    const v = vars.get(`$${r}`);
    if (v !== undefined) out[r] = v;
  }
  return out;
}

function cfiUnwind(
  c: Ctx,
  sym: SymbolFile,
  rel: number,
  regs: Record<string, bigint>,
): Record<string, bigint> | undefined {
  const range = floor(sym.cfi, rel);
  if (!range || rel >= range.addr + range.size) return undefined;
  const rules = new Map<string, string>();
  parseCfiRules(range.init, rules);
  for (const d of range.deltas) if (d.addr <= rel) parseCfiRules(d.rules, rules);
  const vars = new Map<string, bigint>();
  for (const [k, v] of Object.entries(regs)) {
    vars.set(`$${k}`, v);
    vars.set(k, v);
  }
  const deref = (a: bigint): bigint | undefined => c.mem.word(a, c.ptr);
  const cfaRule = rules.get('.cfa');
  const raRule = rules.get('.ra');
  if (cfaRule === undefined || raRule === undefined) return undefined;
  const cfa = evalExpr(cfaRule, vars, deref, c.mask);
  if (cfa === undefined) return undefined;
  vars.set('.cfa', cfa);
  const ra = evalExpr(raRule, vars, deref, c.mask);
  if (ra === undefined) return undefined;
  const out: Record<string, bigint> = { ...regs };
  for (const [name, expr] of rules) {
    if (name.startsWith('.')) continue;
    const v = evalExpr(expr, vars, deref, c.mask);
    if (v !== undefined) out[name.replace(/^\$/, '')] = v;
  }
  out[c.names.ip] = ra;
  out[c.names.sp] = cfa;
  return out;
}

function plausibleCaller(c: Ctx, ip: bigint, sp: bigint, calleeSp: bigint): boolean {
  return ip > 0xffffn && sp > calleeSp && moduleFor(c.md, ip) !== undefined;
}

function scan(c: Ctx, from: bigint): { ip: bigint; sp: bigint; at: bigint } | undefined {
  for (let i = 0; i < SCAN_WORDS; i++) {
    const addr = from + BigInt(i * c.ptr);
    const v = c.mem.word(addr, c.ptr);
    if (v === undefined) return undefined;
    const m = v > 0xffffn ? moduleFor(c.md, v) : undefined;
    // The first page of an image is its PE header, never code a call returns to.
    if (m && v - m.base >= 0x1000n) return { ip: v, sp: addr + BigInt(c.ptr), at: addr };
  }
  return undefined;
}

/** Unwinds one thread: context frame, then CFI / STACK WIN, frame pointer, and scanning, in that order. */
export function walkStack(
  src: ByteSource,
  md: Minidump,
  thread: MdThread,
  context: CpuContext | undefined,
  symbols?: SymbolStore,
): StackFrame[] {
  const ctx = context ?? thread.context;
  if (!ctx) return [];
  const amd64 = ctx.arch === 'amd64';
  const c: Ctx = {
    md,
    mem: new DumpMemory(src, threadMemoryRanges(md, thread)),
    ptr: amd64 ? 8 : 4,
    mask: amd64 ? 0xffffffffffffffffn : 0xffffffffn,
    names: amd64 ? { ip: 'rip', sp: 'rsp', fp: 'rbp' } : { ip: 'eip', sp: 'esp', fp: 'ebp' },
    ...(symbols ? { symbols } : {}),
  };
  if (symbols) c.symbols = symbols;
  const frames: StackFrame[] = [];
  let regs: Record<string, bigint> = { ...ctx.regs };
  let trust: FrameTrust = 'context';
  const seen = new Set<string>();
  while (frames.length < MAX_FRAMES) {
    const ip = regs[c.names.ip] ?? 0n;
    const sp = regs[c.names.sp] ?? 0n;
    const f: StackFrame = { index: frames.length, ip, sp, trust, regs };
    symbolize(c, f);
    frames.push(f);
    const key = `${ip}:${sp}`;
    if (seen.has(key)) break;
    seen.add(key);
    const m = moduleFor(md, ip);
    const sym = symFor(c, m);
    let next: Record<string, bigint> | undefined;
    if (sym && m) {
      const rel = Number(ip - m.base) - (f.index > 0 ? 1 : 0);
      next = amd64
        ? cfiUnwind(c, sym, rel, regs)
        : (winUnwind(c, sym, rel, regs) ?? cfiUnwind(c, sym, rel, regs));
      // Unwind info that yields a null return address marks the outermost frame (thread start).
      if (next && (next[c.names.ip] ?? 0n) < 0x10000n) break;
      if (next && plausibleCaller(c, next[c.names.ip] ?? 0n, next[c.names.sp] ?? 0n, sp)) trust = 'cfi';
      else next = undefined;
    }
    // x64 code rarely keeps rbp as a frame pointer (Windows unwinds with .pdata), so scanning is more faithful there.
    if (!next && !amd64) {
      const fp = regs[c.names.fp] ?? 0n;
      const rip = fp > sp ? c.mem.word(fp + BigInt(c.ptr), c.ptr) : undefined;
      const rfp = fp > sp ? c.mem.word(fp, c.ptr) : undefined;
      if (rip !== undefined && rfp !== undefined && plausibleCaller(c, rip, fp + BigInt(2 * c.ptr), sp)) {
        next = { [c.names.ip]: rip, [c.names.sp]: fp + BigInt(2 * c.ptr), [c.names.fp]: rfp };
        trust = 'frame_pointer';
      }
    }
    if (!next) {
      const found = scan(c, sp);
      if (!found) break;
      let fp = regs[c.names.fp] ?? 0n;
      // A standard x86 prologue pushed ebp just below the return address; take it when it points up the stack.
      const pushed = amd64 ? undefined : c.mem.word(found.at - 4n, 4);
      if (pushed !== undefined && pushed > found.at && pushed < found.at + 0x100000n) fp = pushed;
      next = { [c.names.ip]: found.ip, [c.names.sp]: found.sp, [c.names.fp]: fp };
      trust = 'scan';
    }
    regs = next;
  }
  return frames;
}

/** Every stack word pointing into a module (Crash Logger's "probable call stack"), capped for huge stacks. */
export function scanStackForModules(
  src: ByteSource,
  md: Minidump,
  thread: MdThread,
  limit = 4096,
): { address: bigint; value: bigint; module: string; offset: bigint }[] {
  const ptr = md.system?.arch === 9 ? 8 : 4;
  const len = Math.min(thread.stackSize, limit * ptr);
  if (len <= 0) return [];
  const b =
    thread.stackRva > 0
      ? new DumpMemory(src, [
          { start: thread.stackStart, size: thread.stackSize, rva: thread.stackRva },
        ]).read(thread.stackStart, len)
      : new DumpMemory(src, md.memory).read(thread.stackStart, len);
  if (!b) return [];
  const out: { address: bigint; value: bigint; module: string; offset: bigint }[] = [];
  for (let o = 0; o + ptr <= b.length; o += ptr) {
    const v = ptr === 8 ? b.readBigUInt64LE(o) : BigInt(b.readUInt32LE(o));
    if (v < 0x10000n) continue;
    const m = moduleFor(md, v);
    if (m)
      out.push({
        address: thread.stackStart + BigInt(o),
        value: v,
        module: fileNameOf(m.name),
        offset: v - m.base,
      });
  }
  return out;
}
