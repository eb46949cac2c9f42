import type { Minidump, MdModule } from '../../formats/minidump/reader';

/** Common NTSTATUS / exception codes seen in game crashes (names as Breakpad prints them). */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0x80000003: 'EXCEPTION_BREAKPOINT',
  0x80000004: 'EXCEPTION_SINGLE_STEP',
  0xc0000005: 'EXCEPTION_ACCESS_VIOLATION',
  0xc0000006: 'EXCEPTION_IN_PAGE_ERROR',
  0xc000001d: 'EXCEPTION_ILLEGAL_INSTRUCTION',
  0xc0000025: 'EXCEPTION_NONCONTINUABLE_EXCEPTION',
  0xc000008c: 'EXCEPTION_ARRAY_BOUNDS_EXCEEDED',
  0xc000008e: 'EXCEPTION_FLT_DIVIDE_BY_ZERO',
  0xc0000094: 'EXCEPTION_INT_DIVIDE_BY_ZERO',
  0xc0000095: 'EXCEPTION_INT_OVERFLOW',
  0xc0000096: 'EXCEPTION_PRIV_INSTRUCTION',
  0xc00000fd: 'EXCEPTION_STACK_OVERFLOW',
  0xc0000374: 'STATUS_HEAP_CORRUPTION',
  0xc0000409: 'STATUS_STACK_BUFFER_OVERRUN',
  0xc0000417: 'STATUS_INVALID_CRUNTIME_PARAMETER',
  0xe06d7363: 'Microsoft C++ Exception',
};

/** FAST_FAIL_* subcodes carried in parameter 0 of 0xC0000409 (winnt.h). */
export const FAST_FAIL_NAMES: Readonly<Record<number, string>> = {
  0: 'FAST_FAIL_LEGACY_GS_VIOLATION',
  1: 'FAST_FAIL_VTGUARD_CHECK_FAILURE',
  2: 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE',
  3: 'FAST_FAIL_CORRUPT_LIST_ENTRY',
  4: 'FAST_FAIL_INCORRECT_STACK',
  5: 'FAST_FAIL_INVALID_ARG',
  6: 'FAST_FAIL_GS_COOKIE_INIT',
  7: 'FAST_FAIL_FATAL_APP_EXIT',
  8: 'FAST_FAIL_RANGE_CHECK_FAILURE',
  9: 'FAST_FAIL_UNSAFE_REGISTRY_ACCESS',
  10: 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE',
  11: 'FAST_FAIL_GUARD_WRITE_CHECK',
  12: 'FAST_FAIL_INVALID_FIBER_SWITCH',
  13: 'FAST_FAIL_INVALID_SET_OF_CONTEXT',
  14: 'FAST_FAIL_INVALID_REFERENCE_COUNT',
  18: 'FAST_FAIL_INVALID_JUMP_BUFFER',
  19: 'FAST_FAIL_MRDATA_MODIFIED',
  20: 'FAST_FAIL_CERTIFICATION_FAILURE',
  21: 'FAST_FAIL_INVALID_EXCEPTION_CHAIN',
  22: 'FAST_FAIL_CRYPTO_LIBRARY',
  23: 'FAST_FAIL_INVALID_CALL_IN_DLL_CALLOUT',
  24: 'FAST_FAIL_INVALID_IMAGE_BASE',
  25: 'FAST_FAIL_DLOAD_PROTECTION_FAILURE',
  26: 'FAST_FAIL_UNSAFE_EXTENSION_CALL',
  37: 'FAST_FAIL_GUARD_SS_FAILURE',
  38: 'FAST_FAIL_CONTROL_INVALID_RETURN_ADDRESS',
  43: 'FAST_FAIL_HEAP_METADATA_CORRUPTION',
};

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

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);
}

export function moduleAt(modules: readonly MdModule[], addr: bigint): MdModule | undefined {
  return modules.find((m) => addr >= m.base && addr < m.base + BigInt(m.size));
}

export function explainCrash(md: Minidump): CrashExplanation | undefined {
  const ex = md.exception;
  if (!ex) return undefined;
  let reason = EXCEPTION_NAMES[ex.code] ?? `${hex(ex.code)} / 0x${ex.flags.toString(16).padStart(8, '0')}`;
  let crashAddress = ex.address;
  if (ex.code === 0xc0000005 && ex.parameters.length >= 2) {
    const kind = ex.parameters[0];
    reason += kind === 1n ? '_WRITE' : kind === 8n ? '_EXEC' : '_READ';
    crashAddress = ex.parameters[1] ?? ex.address;
  } else if (ex.code === 0xc0000409 && ex.parameters.length >= 1) {
    const sub = Number(ex.parameters[0]);
    reason += ` / ${FAST_FAIL_NAMES[sub] ?? `fast-fail ${sub}`}`;
  }
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
  if (mod) out.faultingModule = { name: basename(mod.name), offset: ex.address - mod.base };
  else if (ipMod && ip !== undefined)
    out.faultingModule = { name: basename(ipMod.name), offset: ip - ipMod.base };
  return out;
}
