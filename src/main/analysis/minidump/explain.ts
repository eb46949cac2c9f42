import { EXCEPTION_NAMES, FAST_FAIL_NAMES } from '../../formats/common/exception-codes';
import type { Minidump, MdModule } from '../../formats/minidump/reader';
import { fileNameOf, hex } from '../../../shared/text';

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
  if (mod) out.faultingModule = { name: fileNameOf(mod.name), offset: ex.address - mod.base };
  else if (ipMod && ip !== undefined)
    out.faultingModule = { name: fileNameOf(ipMod.name), offset: ip - ipMod.base };
  return out;
}
