import type { DumpFrame } from './minidump';
import { fileNameOf } from '../text';

export const TRUST_LABEL: Readonly<Record<DumpFrame['trust'], string>> = {
  context: 'given as instruction pointer in context',
  cfi: 'call frame info (.sym unwind rules)',
  cfi_scan: 'call frame info with scanning (return address searched for)',
  frame_pointer: "previous frame's frame pointer",
  scan: 'stack scanning (may be a stale return address)',
  leaf: 'simulating a return from a leaf function',
};

/** Breakpad-style frame text: module!function [file : line + off], else module + offset. */
export function frameLabel(f: DumpFrame): string {
  if (f.function) {
    const src = f.file
      ? ` [${fileNameOf(f.file)} : ${f.line ?? '?'} + ${f.lineOffset ?? '0x0'}]`
      : ` + ${f.functionOffset ?? '0x0'}`;
    return `${f.module ?? '?'}!${f.function}${src}`;
  }
  return f.module ? `${f.module} + ${f.moduleOffset ?? '0x0'}` : f.ip;
}

/** 16 bytes a row: address, hex bytes, printable ASCII. */
export function hexRows(address: string, hex: string): string[] {
  const base = BigInt(address);
  const rows: string[] = [];
  for (let o = 0; o < hex.length; o += 32) {
    const chunk = hex.slice(o, o + 32);
    const bytes = chunk.match(/../g) ?? [];
    const ascii = bytes.map((b) => {
      const c = parseInt(b, 16);
      return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    });
    const addr = (base + BigInt(o / 2)).toString(16).padStart(16, '0');
    rows.push(`${addr}  ${bytes.join(' ').padEnd(47)}  ${ascii.join('')}`);
  }
  return rows;
}
