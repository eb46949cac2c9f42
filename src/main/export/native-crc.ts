import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

type Crc32Module = {
  unsigned: (buf: Buffer | string, previous?: number | Buffer) => number;
  nativePatched?: boolean;
};

/**
 * yazl computes each entry's CRC-32 with buffer-crc32, a byte-at-a-time JS loop (~300 MB/s):
 * for a 200 MB bundle that alone is most of a second. Node's zlib.crc32 is the same function in
 * native code, several times faster. This swaps it into the copy of buffer-crc32 that yazl itself
 * loads (resolved from yazl's folder, so a bundled copy elsewhere is never patched by mistake).
 */
export function useNativeCrc32(): void {
  const native = (zlib as unknown as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (typeof native !== 'function') return;
  let mod: Crc32Module;
  try {
    const here = createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/`);
    mod = createRequire(here.resolve('yazl'))('buffer-crc32') as Crc32Module;
  } catch {
    return;
  }
  if (mod.nativePatched) return;
  mod.unsigned = (buf, previous) => {
    const data = typeof buf === 'string' ? Buffer.from(buf) : buf;
    const prev = typeof previous === 'number' ? previous : previous ? previous.readUInt32BE(0) : 0;
    return native(data, prev) >>> 0;
  };
  mod.nativePatched = true;
}
