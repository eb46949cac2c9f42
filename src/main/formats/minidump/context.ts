import type { ByteSource } from '../common/byte-source';
import { ParseError } from '../common/parse-error';

/** Registers by name; instruction/stack/frame pointers are also given under generic names for the walker. */
export interface CpuContext {
  arch: 'x86' | 'amd64';
  flags: number;
  regs: Record<string, bigint>;
  ip: bigint;
  sp: bigint;
  fp: bigint;
}

const X86_SIZE = 716;
const AMD64_SIZE = 1232;

const X86_REGS: ReadonlyArray<[string, number]> = [
  ['gs', 140],
  ['fs', 144],
  ['es', 148],
  ['ds', 152],
  ['edi', 156],
  ['esi', 160],
  ['ebx', 164],
  ['edx', 168],
  ['ecx', 172],
  ['eax', 176],
  ['ebp', 180],
  ['eip', 184],
  ['cs', 188],
  ['eflags', 192],
  ['esp', 196],
  ['ss', 200],
];

/** amd64 CONTEXT general registers in their order from offset 120 (Rax .. R15, then Rip). */
export const AMD64_GPR = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
  'rip',
];

/**
 * The CONTEXT layout is chosen by the system-info architecture, falling back to the record size
 * (old x86 dumps may carry only the 204-byte prefix without extended registers).
 */
export function readContext(
  src: ByteSource,
  rva: number,
  size: number,
  arch: number | undefined,
  field: string,
): CpuContext {
  const isAmd64 = arch === 9 || (arch === undefined && size >= AMD64_SIZE);
  if (isAmd64) {
    if (size < 256)
      throw new ParseError(`amd64 context of ${size} bytes is too small`, {
        file: src.name,
        field,
        offset: rva,
        code: 'truncated',
      });
    const b = src.read(rva, 256, field);
    const regs: Record<string, bigint> = {};
    AMD64_GPR.forEach((r, i) => (regs[r] = b.readBigUInt64LE(120 + i * 8)));
    regs.eflags = BigInt(b.readUInt32LE(68));
    regs.cs = BigInt(b.readUInt16LE(56));
    regs.ss = BigInt(b.readUInt16LE(66));
    return {
      arch: 'amd64',
      flags: b.readUInt32LE(48),
      regs,
      ip: regs.rip ?? 0n,
      sp: regs.rsp ?? 0n,
      fp: regs.rbp ?? 0n,
    };
  }
  if (size < 204 || size > X86_SIZE * 4)
    throw new ParseError(`x86 context of ${size} bytes has an unexpected size`, {
      file: src.name,
      field,
      offset: rva,
      code: 'bad_size',
    });
  const b = src.read(rva, 204, field);
  const regs: Record<string, bigint> = {};
  for (const [name, off] of X86_REGS) regs[name] = BigInt(b.readUInt32LE(off));
  return {
    arch: 'x86',
    flags: b.readUInt32LE(0),
    regs,
    ip: regs.eip ?? 0n,
    sp: regs.esp ?? 0n,
    fp: regs.ebp ?? 0n,
  };
}
