import type { ByteSource } from '../../formats/common/byte-source';
import type { CpuContext } from '../../formats/minidump/context';
import type { MdModule, MdThread, Minidump } from '../../formats/minidump/reader';
import type { MdMemoryRange, MdUnloadedModule } from '../../formats/minidump/streams';
import { fileNameOf } from '../../../shared/text';
import { evalExpr, evalProgram, parseCfiRules } from './postfix';
import {
  cfiRulesAt,
  lookup,
  windowsFrameInfo,
  type SymbolFile,
  type SymbolStore,
  type WindowsFrameInfo,
} from './symbols';

/**
 * How a frame was found, in Breakpad's terms: the context, call frame info (CFI or STACK WIN),
 * CFI whose return address had to be searched for, the previous frame's frame pointer, stack
 * scanning, or a return simulated from a leaf function (x64 Windows).
 */
export type FrameTrust = 'context' | 'cfi' | 'cfi_scan' | 'frame_pointer' | 'scan' | 'leaf';

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

/** Far more than any real stack needs; Breakpad's own walk stops on a non-increasing stack pointer. */
const MAX_FRAMES = 1024;
/** Words looked at when scanning for a return address; four times as many for the context frame. */
const SCAN_WORDS = 40;
/** Breakpad's bound on the gap between two x86 frames when it re-derives ebp after a scan. */
const MAX_FRAME_GAP = 128n * 1024n;
/** Return addresses below this mark the end of the stack (as in Breakpad). */
const MIN_IP = 0x1000n;

const byStart = (a: MdMemoryRange, b: MdMemoryRange): number =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : 0;

/**
 * Reads captured process memory. Ranges may overlap or nest (a MemoryList often carries a
 * 256-byte block around an address inside a thread's stack, and a Memory64List may repeat
 * memory the MemoryList has): a read is served by any single range holding all of it,
 * preferring the one that starts lowest, so the outer range wins over a block nested in it
 * (rust-minidump resolves overlaps the same way).
 */
export class DumpMemory {
  private readonly ranges: MdMemoryRange[];
  /** maxEnd[i]: the highest end address among ranges[0..i]. */
  private readonly maxEnd: bigint[];

  constructor(
    private readonly src: ByteSource,
    ranges: readonly MdMemoryRange[],
  ) {
    this.ranges = [...ranges].filter((r) => r.size > 0).sort(byStart);
    let m = -1n;
    this.maxEnd = this.ranges.map((r) => (m = m > r.start + BigInt(r.size) ? m : r.start + BigInt(r.size)));
  }

  /** The range holding [addr, addr + len), or undefined. */
  find(addr: bigint, len: number): MdMemoryRange | undefined {
    const end = addr + BigInt(len);
    let lo = 0;
    let hi = this.ranges.length - 1;
    // Last range starting at or below addr.
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.start <= addr) lo = mid + 1;
      else hi = mid - 1;
    }
    let found: MdMemoryRange | undefined;
    // Walk down while some range at or below this index still reaches `end`.
    for (let i = hi; i >= 0 && this.maxEnd[i]! >= end; i--) {
      const r = this.ranges[i]!;
      if (r.start + BigInt(r.size) >= end) found = r;
    }
    return found;
  }

  read(addr: bigint, len: number): Buffer | undefined {
    if (addr < 0n) return undefined;
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

/**
 * The memory a stack walk may read: the thread's own stack, as Breakpad and rust-minidump walk
 * it. Its descriptor when that points at bytes, else the captured range holding the stack start
 * (full-memory dumps may leave the descriptor empty and keep the stack in Memory64List).
 */
export function threadStackRange(md: Minidump, thread: MdThread): MdMemoryRange | undefined {
  // A descriptor cut by the end of a truncated file still serves the words that are there.
  if (thread.stackRva > 0 && thread.stackSize > 0)
    return { start: thread.stackStart, size: thread.stackSize, rva: thread.stackRva };
  if (thread.stackStart === 0n) return undefined;
  return md.memory.find((r) => thread.stackStart >= r.start && thread.stackStart < r.start + BigInt(r.size));
}

/** Loaded modules by address; a module overlapping one listed before it is ignored. */
export class ModuleMap {
  private readonly sorted: (MdModule | MdUnloadedModule)[] = [];
  constructor(modules: readonly (MdModule | MdUnloadedModule)[]) {
    for (const m of modules) {
      if (m.size <= 0) continue;
      const end = m.base + BigInt(m.size);
      if (this.sorted.some((o) => m.base < o.base + BigInt(o.size) && end > o.base)) continue;
      this.sorted.push(m);
    }
    this.sorted.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }
  find(addr: bigint): MdModule | MdUnloadedModule | undefined {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.sorted[mid]!;
      if (addr < m.base) hi = mid - 1;
      else if (addr >= m.base + BigInt(m.size)) lo = mid + 1;
      else return m;
    }
    return undefined;
  }
}

interface Walker {
  mem: DumpMemory;
  modules: ModuleMap;
  unloaded: ModuleMap;
  symbols?: SymbolStore;
  amd64: boolean;
  windows: boolean;
  ptr: 4 | 8;
  mask: bigint;
}

/** A frame under construction, with what the next unwind step needs to know about it. */
interface Walked {
  frame: StackFrame;
  /** The address looked up in symbols: the ip for the context frame, the byte before a return address otherwise. */
  instruction: bigint;
  /** STACK WIN data used to unwind this frame (its parameter size matters to the frame above). */
  winInfo?: WindowsFrameInfo;
}

function symFor(w: Walker, m: MdModule | MdUnloadedModule | undefined): SymbolFile | undefined {
  if (!m || !w.symbols || !('codeView' in m) || !m.codeView?.pdbName) return undefined;
  return w.symbols.get(m.codeView.pdbName, m.codeView.debugId);
}

function symbolize(w: Walker, x: Walked): void {
  const f = x.frame;
  const m = w.modules.find(x.instruction) ?? w.unloaded.find(x.instruction);
  if (!m) return;
  f.module = fileNameOf(m.name);
  f.moduleOffset = f.ip - m.base;
  const sym = symFor(w, m);
  if (!sym) return;
  const loc = lookup(sym, Number(x.instruction - m.base), Number(f.ip - m.base));
  if (loc) Object.assign(f, loc);
}

/** Breakpad's test for a scanned word: inside a loaded module, and inside a function when the module has symbols. */
function plausibleReturn(w: Walker, ip: bigint): boolean {
  const instr = (ip - 1n) & w.mask;
  const m = w.modules.find(instr);
  if (!m) return false;
  const sym = symFor(w, m);
  return !sym || lookup(sym, Number(instr - m.base))?.function !== undefined;
}

/** Scans upward from `start` for a word that looks like a return address: its address and value. */
function scanForReturn(w: Walker, start: bigint, words: number): { at: bigint; ip: bigint } | undefined {
  for (let i = 0; i <= words; i++) {
    const at = (start + BigInt(i * w.ptr)) & w.mask;
    const ip = w.mem.word(at, w.ptr);
    if (ip === undefined) return undefined;
    if (plausibleReturn(w, ip)) return { at, ip };
  }
  return undefined;
}

const scanWords = (last: Walked): number => (last.frame.trust === 'context' ? SCAN_WORDS * 4 : SCAN_WORDS);

type Caller = { regs: Record<string, bigint>; trust: FrameTrust };

/** Registers recovered by CFI rules (register names with `$`; `.cfa` and `.ra` give sp and ip). */
function cfiCaller(
  w: Walker,
  rules: string[],
  regs: Record<string, bigint>,
): Record<string, bigint> | undefined {
  const map = new Map<string, string>();
  if (!parseCfiRules(rules[0] ?? '', map)) return undefined;
  for (const r of rules.slice(1)) parseCfiRules(r, map);
  const cfaRule = map.get('.cfa');
  const raRule = map.get('.ra');
  if (cfaRule === undefined || raRule === undefined) return undefined;
  const vars = new Map<string, bigint>();
  for (const [k, v] of Object.entries(regs)) vars.set(`$${k}`, v);
  const deref = (a: bigint): bigint | undefined => w.mem.word(a, w.ptr);
  const cfa = evalExpr(cfaRule, vars, deref, w.mask);
  if (cfa === undefined) return undefined;
  vars.set('.cfa', cfa);
  const ra = evalExpr(raRule, vars, deref, w.mask);
  if (ra === undefined) return undefined;
  const out: Record<string, bigint> = {};
  for (const [name, expr] of map) {
    if (name.startsWith('.') || !name.startsWith('$')) continue;
    const v = evalExpr(expr, vars, deref, w.mask);
    if (v !== undefined) out[name.slice(1)] = v;
  }
  const [ip, sp] = w.amd64 ? ['rip', 'rsp'] : ['eip', 'esp'];
  out[ip] ??= ra;
  out[sp] ??= cfa;
  // Callee-saved registers the rules do not mention still hold the caller's values.
  const calleeSaved = w.amd64 ? ['rbx', 'rbp', 'r12', 'r13', 'r14', 'r15'] : ['ebp', 'ebx', 'esi', 'edi'];
  for (const r of calleeSaved) if (out[r] === undefined && regs[r] !== undefined) out[r] = regs[r];
  return out;
}

/** x86 unwind with a STACK WIN record (FRAME_DATA program or FPO sizes), as minidump_stackwalk does it. */
function winCaller(
  w: Walker,
  frames: Walked[],
  info: WindowsFrameInfo & { kind: 'full' },
): Caller | undefined {
  const last = frames[frames.length - 1]!;
  const regs = last.frame.regs;
  const win = info.detail;
  const m = w.mask;
  // Breakpad takes the parameter size from the lowest callee that knows it.
  let calleeParams = 0n;
  for (let i = frames.length - 2; i >= 0; i--) {
    const ci = frames[i]!.winInfo;
    if (ci) calleeParams = BigInt(ci.kind === 'full' ? ci.detail.paramSize : ci.paramSize);
  }
  const esp = regs.esp ?? 0n;
  const vars = new Map<string, bigint>([
    ['$ebp', regs.ebp ?? 0n],
    ['$esp', esp],
    ['.cbCalleeParams', calleeParams],
    ['.cbSavedRegs', BigInt(win.savedRegSize)],
    ['.cbLocals', BigInt(win.localSize)],
    ['.cbParams', BigInt(win.paramSize)],
  ]);
  if (regs.ebx !== undefined) vars.set('$ebx', regs.ebx);
  let raSearch = (esp + calleeParams + BigInt(win.localSize) + BigInt(win.savedRegSize)) & m;
  // Look up to three words higher in case the stack was aligned.
  const near = scanForReturn(w, raSearch, 3);
  if (near) {
    const fpoSyscall =
      last.frame.trust === 'context' && win.type === 0 && near.at === raSearch && near.ip === regs.eip;
    raSearch = near.at;
    // An FPO system call frame still has its own address on top of the stack: skip it.
    if (fpoSyscall) raSearch = scanForReturn(w, (raSearch + 4n) & m, 3)?.at ?? (raSearch + 4n) & m;
  }
  let recoverEbp = true;
  let program: string;
  if (win.program !== undefined && win.program !== '') program = win.program;
  else if (win.allocatesBasePointer)
    program =
      '$eip .raSearchStart ^ = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ = $esp .raSearchStart 4 + =';
  else {
    program =
      '$eip .raSearchStart ^ = $esp .raSearchStart 4 + =' + (regs.ebx !== undefined ? ' $ebx $ebx =' : '');
    recoverEbp = false;
  }
  // An aligned stack pointer makes the esp-based search start meaningless; ebp still holds.
  if (regs.ebp !== undefined && program.includes('@')) raSearch = (regs.ebp + 4n) & m;
  vars.set('.raSearchStart', raSearch);
  vars.set('.raSearch', raSearch);
  const assigned = new Set<string>();
  const ok = evalProgram(program, vars, (a) => w.mem.word(a, 4), m, assigned);
  let trust: FrameTrust = 'cfi';
  if (!ok || !assigned.has('$eip') || !assigned.has('$esp')) {
    const found = scanForReturn(w, esp, scanWords(last));
    if (!found) return undefined;
    vars.set('$eip', found.ip);
    vars.set('$esp', (found.at + 4n) & m);
    trust = 'scan';
  }
  const get = (k: string): bigint => vars.get(k) ?? 0n;
  if (get('$eip') !== 0n || get('$ebp') !== 0n) {
    let offset = 0n;
    if (!w.modules.find(get('$eip'))) {
      const from = (get('.raSearchStart') + 4n) & m;
      const found = scanForReturn(w, from, scanWords(last));
      if (found) {
        vars.set('$eip', found.ip);
        vars.set('$esp', (found.at + 4n) & m);
        offset = found.at - from;
        trust = 'cfi_scan';
      }
    }
    if (recoverEbp)
      recoverX86Ebp(
        w,
        vars,
        { esp, calleeParams, savedRegs: BigInt(win.savedRegSize) },
        raSearch,
        offset,
        trust,
      );
  }
  const out: Record<string, bigint> = { eip: get('$eip'), esp: get('$esp'), ebp: get('$ebp') };
  for (const r of ['ebx', 'esi', 'edi']) if (assigned.has(`$${r}`)) out[r] = get(`$${r}`);
  return { regs: out, trust };
}

/**
 * After a STACK WIN unwind that scanned, or left ebp pointing at memory the dump lacks, look
 * for the saved ebp in the callee's saved-register area (highest slot first): the first slot
 * whose value points at captured stack memory.
 */
function recoverX86Ebp(
  w: Walker,
  vars: Map<string, bigint>,
  callee: { esp: bigint; calleeParams: bigint; savedRegs: bigint },
  raSearch: bigint,
  offset: bigint,
  trust: FrameTrust,
): void {
  const m = w.mask;
  const ebp = vars.get('$ebp') ?? 0n;
  const skipped = trust !== 'cfi' && ebp <= ((raSearch + offset) & m);
  if (!skipped && w.mem.word(ebp, 4) !== undefined) return;
  const lowest = (callee.esp + callee.calleeParams) & m;
  for (let at = (lowest + callee.savedRegs + offset) & m; at >= lowest; at -= 4n) {
    const candidate = w.mem.word(at, 4);
    if (candidate === undefined) break;
    if (w.mem.word(candidate, 4) !== undefined) {
      vars.set('$ebp', candidate);
      break;
    }
  }
}

/** The classic x86 frame: return address above the saved ebp; scan when ebp points nowhere. */
function ebpCaller(w: Walker, last: Walked): Caller | undefined {
  const regs = last.frame.regs;
  const ebp = regs.ebp ?? 0n;
  const ip = w.mem.word((ebp + 4n) & w.mask, 4);
  const savedEbp = w.mem.word(ebp, 4);
  if (ip !== undefined && savedEbp !== undefined)
    return { regs: { eip: ip, esp: (ebp + 8n) & w.mask, ebp: savedEbp }, trust: 'frame_pointer' };
  const found = scanForReturn(w, regs.esp ?? 0n, scanWords(last));
  if (!found) return undefined;
  const esp = (found.at + 4n) & w.mask;
  // The caller's ebp was likely pushed just below the return address; keep the old one if that looks wrong.
  const chain = (esp - 8n) & w.mask;
  const pushed = w.mem.word(chain, 4);
  const callerEbp = pushed !== undefined && pushed > chain && pushed - chain <= MAX_FRAME_GAP ? pushed : ebp;
  return { regs: { eip: found.ip, esp, ebp: callerEbp }, trust: 'scan' };
}

function x86Caller(w: Walker, frames: Walked[]): Caller | undefined {
  const last = frames[frames.length - 1]!;
  const m = w.modules.find(last.instruction);
  const sym = symFor(w, m);
  const rel = m ? Number(last.instruction - m.base) : 0;
  if (sym) {
    const info = windowsFrameInfo(sym, rel);
    if (info) {
      last.winInfo = info;
      if (info.kind === 'full') {
        const c = winCaller(w, frames, info);
        if (c) return c;
      }
    }
    const rules = cfiRulesAt(sym, rel);
    if (rules) {
      const regs = cfiCaller(w, rules, last.frame.regs);
      if (regs && regs.eip !== undefined && regs.esp !== undefined && regs.ebp !== undefined)
        return { regs, trust: 'cfi' };
    }
  }
  return ebpCaller(w, last);
}

function amd64Caller(w: Walker, frames: Walked[]): Caller | undefined {
  const last = frames[frames.length - 1]!;
  const regs = last.frame.regs;
  const m = w.modules.find(last.instruction);
  const sym = symFor(w, m);
  const rules = sym && m ? cfiRulesAt(sym, Number(last.instruction - m.base)) : undefined;
  if (rules) {
    const r = cfiCaller(w, rules, regs);
    if (r && r.rip && r.rsp) return { regs: r, trust: 'cfi' };
  }
  // A leaf function without unwind data has its return address on top of the stack.
  if (last.frame.trust === 'context' && w.windows) {
    const found = scanForReturn(w, regs.rsp ?? 0n, 1);
    if (found) return { regs: { ...regs, rip: found.ip, rsp: found.at + 8n }, trust: 'leaf' };
  }
  // Frame pointers are not used on x64 Windows (MSVC and clang do not keep them); elsewhere try them.
  if (!w.windows) {
    const c = amd64FramePointer(w, regs);
    if (c) return c;
  }
  const found = scanForReturn(w, regs.rsp ?? 0n, scanWords(last));
  if (!found) return undefined;
  const out: Record<string, bigint> = { rip: found.ip, rsp: found.at + 8n };
  const rbp = regs.rbp;
  if (rbp !== undefined) {
    if (found.at - 8n === rbp) {
      const saved = w.mem.word(rbp, 8);
      if (saved !== undefined && saved > found.at) out.rbp = saved;
    } else if (rbp >= found.at + 8n) out.rbp = rbp;
  }
  return { regs: out, trust: 'scan' };
}

function amd64FramePointer(w: Walker, regs: Record<string, bigint>): Caller | undefined {
  const rbp = regs.rbp;
  if (rbp === undefined || rbp % 8n !== 0n) return undefined;
  const rip = w.mem.word(rbp + 8n, 8);
  const callerRbp = w.mem.word(rbp, 8);
  if (rip === undefined || callerRbp === undefined) return undefined;
  const rsp = rbp + 16n;
  if (rip > 0x7fffffffffffn && rip < 0xffff800000000000n) return undefined;
  if (rsp <= rbp || callerRbp < rsp || w.mem.word(callerRbp, 8) === undefined) return undefined;
  return { regs: { rip, rsp, rbp: callerRbp }, trust: 'frame_pointer' };
}

/**
 * Unwinds one thread the way Breakpad's minidump_stackwalk does, so the two agree frame for
 * frame. x86: STACK WIN, then CFI, then the ebp chain (scanning when ebp points nowhere). x64:
 * CFI, then a simulated return for a leaf context frame, then scanning. The walk ends when the
 * return address is below 0x1000 (thread start) or the stack pointer stops increasing.
 */
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
  const found = threadStackRange(md, thread);
  // A 32-bit walk cannot use stack memory said to lie above 4 GiB (Breakpad drops it too).
  const stack = !amd64 && found && found.start + BigInt(found.size) > 0x100000000n ? undefined : found;
  const w: Walker = {
    mem: new DumpMemory(src, stack ? [stack] : []),
    modules: new ModuleMap(md.modules),
    unloaded: new ModuleMap(md.unloadedModules),
    amd64,
    windows: md.system?.platformId === 2 || md.system?.platformId === 1,
    ptr: amd64 ? 8 : 4,
    mask: amd64 ? 0xffffffffffffffffn : 0xffffffffn,
    ...(symbols ? { symbols } : {}),
  };
  const [ipName, spName] = amd64 ? ['rip', 'rsp'] : ['eip', 'esp'];
  const first: Walked = {
    frame: { index: 0, ip: ctx.ip, sp: ctx.sp, trust: 'context', regs: { ...ctx.regs } },
    instruction: ctx.ip,
  };
  symbolize(w, first);
  const frames: Walked[] = [first];
  while (frames.length < MAX_FRAMES) {
    const last = frames[frames.length - 1]!;
    const caller = amd64 ? amd64Caller(w, frames) : x86Caller(w, frames);
    if (!caller) break;
    const ip = caller.regs[ipName] ?? 0n;
    const sp = caller.regs[spName] ?? 0n;
    const calleeSp = last.frame.sp;
    // Thread start, or a stack pointer that did not move up: the walk is over.
    if (ip < MIN_IP) break;
    if (last.frame.trust === 'context' ? sp < calleeSp : sp <= calleeSp) break;
    const next: Walked = {
      frame: { index: frames.length, ip, sp, trust: caller.trust, regs: caller.regs },
      instruction: (ip - 1n) & w.mask,
    };
    symbolize(w, next);
    frames.push(next);
  }
  return frames.map((x) => x.frame);
}

/** Every stack word pointing into a module (Crash Logger's "probable call stack"), capped for huge stacks. */
export function scanStackForModules(
  src: ByteSource,
  md: Minidump,
  thread: MdThread,
  limit = 4096,
): { address: bigint; value: bigint; module: string; offset: bigint }[] {
  const ptr = md.system?.arch === 9 ? 8 : 4;
  const stack = threadStackRange(md, thread);
  if (!stack) return [];
  const len = Math.min(stack.size - Number(thread.stackStart - stack.start), limit * ptr);
  if (len <= 0 || thread.stackStart < stack.start) return [];
  const b = new DumpMemory(src, [stack]).read(thread.stackStart, len);
  if (!b) return [];
  const modules = new ModuleMap(md.modules);
  const out: { address: bigint; value: bigint; module: string; offset: bigint }[] = [];
  for (let o = 0; o + ptr <= b.length; o += ptr) {
    const v = ptr === 8 ? b.readBigUInt64LE(o) : BigInt(b.readUInt32LE(o));
    if (v < 0x10000n) continue;
    const m = modules.find(v);
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
