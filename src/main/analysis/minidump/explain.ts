import { FAST_FAIL_NAMES } from '../../formats/common/exception-codes';
import type { Minidump, MdModule } from '../../formats/minidump/reader';
import { fileNameOf, hex } from '../../../shared/text';

/**
 * Crash reasons as minidump_stackwalk words them (so a verdict reads like the reference tool's
 * "Crash reason" line); codes not listed read "0x<code> / 0x<flags>".
 */
const BREAKPAD_REASONS: Readonly<Record<number, string>> = {
  0x40010005: 'DBG_CONTROL_C',
  0x80000001: 'EXCEPTION_GUARD_PAGE',
  0x80000002: 'EXCEPTION_DATATYPE_MISALIGNMENT',
  0x80000003: 'EXCEPTION_BREAKPOINT',
  0x80000004: 'EXCEPTION_SINGLE_STEP',
  0xc0000005: 'EXCEPTION_ACCESS_VIOLATION',
  0xc0000006: 'EXCEPTION_IN_PAGE_ERROR',
  0xc0000008: 'EXCEPTION_INVALID_HANDLE',
  0xc000001d: 'EXCEPTION_ILLEGAL_INSTRUCTION',
  0xc0000025: 'EXCEPTION_NONCONTINUABLE_EXCEPTION',
  0xc0000026: 'EXCEPTION_INVALID_DISPOSITION',
  0xc000008c: 'EXCEPTION_BOUNDS_EXCEEDED',
  0xc000008d: 'EXCEPTION_FLT_DENORMAL_OPERAND',
  0xc000008e: 'EXCEPTION_FLT_DIVIDE_BY_ZERO',
  0xc000008f: 'EXCEPTION_FLT_INEXACT_RESULT',
  0xc0000090: 'EXCEPTION_FLT_INVALID_OPERATION',
  0xc0000091: 'EXCEPTION_FLT_OVERFLOW',
  0xc0000092: 'EXCEPTION_FLT_STACK_CHECK',
  0xc0000093: 'EXCEPTION_FLT_UNDERFLOW',
  0xc0000094: 'EXCEPTION_INT_DIVIDE_BY_ZERO',
  0xc0000095: 'EXCEPTION_INT_OVERFLOW',
  0xc0000096: 'EXCEPTION_PRIV_INSTRUCTION',
  0xc00000fd: 'EXCEPTION_STACK_OVERFLOW',
  0xc00000ff: 'EXCEPTION_BAD_FUNCTION_TABLE',
  0xc0000194: 'EXCEPTION_POSSIBLE_DEADLOCK',
  0xc0000409: 'EXCEPTION_STACK_BUFFER_OVERRUN',
  0xc0000374: 'EXCEPTION_HEAP_CORRUPTION',
  0xe0000008: 'Out of Memory',
  0xe06d7363: 'Unhandled C++ Exception',
  0x0517a7ed: 'Simulated Exception',
};

const ACCESS_KIND: Readonly<Record<string, string>> = { '0': '_READ', '1': '_WRITE', '8': '_EXEC' };

export interface CrashExplanation {
  code: number;
  reason: string;
  crashAddress: bigint;
  threadId: number;
  threadIndex: number;
  threadName?: string;
  faultingModule?: { name: string; offset: bigint };
  /** Why there is no module: the address is null-ish, non-canonical, on a thread stack, or unmapped. */
  location: 'module' | 'no module' | 'on the stack' | 'non-canonical';
}

export function moduleAt(modules: readonly MdModule[], addr: bigint): MdModule | undefined {
  return modules.find((m) => addr >= m.base && addr < m.base + BigInt(m.size));
}

/** The crash reason line and the address it is about, as Breakpad derives them. */
function crashReason(
  md: Minidump,
  ex: NonNullable<Minidump['exception']>,
): { reason: string; address: bigint } {
  const fallback = `0x${hex8(ex.code)} / 0x${hex8(ex.flags)}`;
  const p = ex.parameters;
  let address = ex.address;
  // Breakpad names Windows codes only when the dump says it is from Windows.
  const windows = md.system?.platformId === 2 || md.system?.platformId === 1;
  let reason = (windows ? BREAKPAD_REASONS[ex.code] : undefined) ?? fallback;
  if (windows && (ex.code === 0xc0000005 || ex.code === 0xc0000006)) {
    // Parameter 0 says read, write or execute; parameter 1 is the address that faulted.
    if (p.length >= 1) reason += ACCESS_KIND[String(p[0])] ?? '';
    if (p.length >= 2) address = p[1] ?? address;
    if (ex.code === 0xc0000006 && p.length >= 3) reason += ` / 0x${hex8(Number((p[2] ?? 0n) & 0xffffffffn))}`;
  } else if (windows && ex.code === 0xc0000409 && p.length >= 1) {
    // A fast-fail's reason is its subcode (the legacy GS case keeps the status name).
    const sub = p[0] ?? 0n;
    reason = (sub > 0n && sub < 0x100n ? FAST_FAIL_NAMES[Number(sub)] : undefined) ?? reason;
  }
  // 32-bit CPUs: only the low half of the address is meaningful.
  if (md.system?.arch === 0) address &= 0xffffffffn;
  return { reason, address };
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

export function explainCrash(md: Minidump): CrashExplanation | undefined {
  const ex = md.exception;
  if (!ex) return undefined;
  const { reason, address: crashAddress } = crashReason(md, ex);
  const threadIndex = md.threads.findIndex((t) => t.id === ex.threadId);
  const thread = md.threads[threadIndex];
  // CRT invalid-parameter and similar raise from outside any module; the instruction pointer then names the culprit frame.
  const ip = ex.context?.ip ?? thread?.context?.ip;
  const mod = moduleAt(md.modules, ex.address);
  const ipMod = !mod && ip !== undefined ? moduleAt(md.modules, ip) : undefined;
  const amd64 = md.system?.arch === 9;
  const top = ex.address >> 47n;
  let location: CrashExplanation['location'] = 'no module';
  if (mod) location = 'module';
  else if (amd64 && top !== 0n && top !== 0x1ffffn) location = 'non-canonical';
  else if (
    md.threads.some((t) => ex.address >= t.stackStart && ex.address < t.stackStart + BigInt(t.stackSize))
  )
    location = 'on the stack';
  const out: CrashExplanation = {
    code: ex.code,
    reason,
    crashAddress,
    threadId: ex.threadId,
    threadIndex,
    location,
  };
  if (thread?.name !== undefined) out.threadName = thread.name;
  if (mod) out.faultingModule = { name: fileNameOf(mod.name), offset: ex.address - mod.base };
  else if (ipMod && ip !== undefined)
    out.faultingModule = { name: fileNameOf(ipMod.name), offset: ip - ipMod.base };
  return out;
}

/** Where the fault was, as the tail of a sentence: "in foo.dll+0x12", "on the stack", ... */
export function crashPlace(crash: Pick<CrashExplanation, 'faultingModule' | 'location'>): string {
  if (crash.faultingModule) return `in ${crash.faultingModule.name}+${hex(crash.faultingModule.offset)}`;
  return LOCATION_PHRASE[crash.location];
}

const LOCATION_PHRASE: Readonly<Record<CrashExplanation['location'], string>> = {
  module: 'in a module',
  'no module': 'outside any module',
  'on the stack': 'on the stack',
  'non-canonical': 'at a non-canonical address',
};

/** "EXCEPTION_ACCESS_VIOLATION writing 0x45 in test_app.exe+0x429e", "... executing 0x3df944 on the stack" */
export function verdictTitle(crash: CrashExplanation): string {
  const where = crashPlace(crash);
  const av = /^EXCEPTION_ACCESS_VIOLATION_(READ|WRITE|EXEC)$/.exec(crash.reason);
  if (av) {
    const verb = av[1] === 'WRITE' ? 'writing' : av[1] === 'EXEC' ? 'executing' : 'reading';
    return `EXCEPTION_ACCESS_VIOLATION ${verb} ${hex(crash.crashAddress)} ${where}`;
  }
  return `${crash.reason} ${where}`;
}

/**
 * Whether the dump holds everything its directory promises, and what is missing when not (one
 * line each): streams, memory or thread stacks cut by the end of a truncated file, lists the
 * analysis needs, and every stream or record the reader had to give up on.
 */
export function dumpCompleteness(md: Minidump, fileSize: number): { incomplete: boolean; missing: string[] } {
  const missing: string[] = [];
  let needed = 0;
  for (const s of md.streams) needed = Math.max(needed, s.offset + s.size);
  for (const r of md.memory) needed = Math.max(needed, r.rva + (r.declaredSize ?? r.size));
  for (const t of md.threads) {
    needed = Math.max(needed, t.stackRva + t.stackSize, t.contextRva + t.contextSize);
    if (t.stackRva > 0 && t.stackRva + t.stackSize > fileSize) {
      const have = Math.max(0, fileSize - t.stackRva);
      missing.push(`stack of thread ${t.index} (0x${t.id.toString(16)}): ${have} of ${t.stackSize} bytes`);
    }
  }
  if (needed > fileSize) missing.unshift(`end of the file: ${fileSize} of at least ${needed} bytes present`);
  if (md.threads.length === 0) missing.push('thread list');
  if (md.modules.length === 0) missing.push('module list');
  if (!md.system) missing.push('system info');
  for (const p of md.problems) missing.push(`${p.stream}: ${p.message}`);
  return { incomplete: missing.length > 0, missing };
}
