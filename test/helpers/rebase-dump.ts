/**
 * "The same crash on another machine": a copy of a real minidump with one module loaded at a
 * different base (as ASLR would) and a different user name in the module paths. Everything that
 * points into the moved module moves with it: the module list entry, the exception address,
 * every thread context's instruction pointer and frame pointer when they point there, every
 * pointer-sized stack word inside the module's range, and captured memory of the module's image.
 * Nothing else changes, so a walker must find the same frames at the new addresses.
 */

const STREAM_THREADS = 3;
const STREAM_MODULES = 4;
const STREAM_MEMORY = 5;
const STREAM_EXCEPTION = 6;
const STREAM_SYSTEM = 7;
const STREAM_MEMORY64 = 9;

export interface RebaseOptions {
  /** Module to move, matched on the end of its path (case-insensitive). */
  module: string;
  delta: bigint;
  /** Same-length replacement inside module paths ("kevin" -> "alice"). */
  rename?: [string, string];
}

function streams(b: Buffer): Map<number, { size: number; rva: number }> {
  const count = b.readUInt32LE(8);
  const dir = b.readUInt32LE(12);
  const out = new Map<number, { size: number; rva: number }>();
  for (let i = 0; i < count; i++) {
    const o = dir + i * 12;
    out.set(b.readUInt32LE(o), { size: b.readUInt32LE(o + 4), rva: b.readUInt32LE(o + 8) });
  }
  return out;
}

export function rebaseDump(input: Buffer, opts: RebaseOptions): Buffer {
  const b = Buffer.from(input);
  const st = streams(b);
  const sys = st.get(STREAM_SYSTEM);
  // PROCESSOR_ARCHITECTURE_AMD64 = 9; everything else we test with is x86.
  const x64 = sys ? b.readUInt16LE(sys.rva) === 9 : true;
  const word = x64 ? 8 : 4;
  const read = (o: number): bigint => (x64 ? b.readBigUInt64LE(o) : BigInt(b.readUInt32LE(o)));
  const write = (o: number, v: bigint): void => {
    if (x64) b.writeBigUInt64LE(v, o);
    else b.writeUInt32LE(Number(v), o);
  };

  const mods = st.get(STREAM_MODULES);
  if (!mods) throw new Error('no module list');
  let base = -1n;
  let size = 0n;
  const n = b.readUInt32LE(mods.rva);
  for (let i = 0; i < n; i++) {
    const o = mods.rva + 4 + i * 108;
    const nameRva = b.readUInt32LE(o + 20);
    const len = b.readUInt32LE(nameRva);
    const name = b.toString('utf16le', nameRva + 4, nameRva + 4 + len);
    if (opts.rename) {
      const [from, to] = opts.rename;
      if (from.length !== to.length) throw new Error('rename must keep the length');
      const renamed = name.split(from).join(to);
      b.write(renamed, nameRva + 4, len, 'utf16le');
    }
    if (name.toLowerCase().endsWith(opts.module.toLowerCase())) {
      base = b.readBigUInt64LE(o);
      size = BigInt(b.readUInt32LE(o + 8));
      b.writeBigUInt64LE(base + opts.delta, o);
    }
  }
  if (base < 0n) throw new Error(`module ${opts.module} not in the dump`);
  const inside = (v: bigint) => v >= base && v < base + size;
  const move = (o: number) => {
    const v = read(o);
    if (inside(v)) write(o, v + opts.delta);
  };

  // Contexts: x86 Eip @0xB8, Ebp @0xB4; AMD64 Rip @0xF8, Rbp @0xA0.
  const ipOff = x64 ? 0xf8 : 0xb8;
  const bpOff = x64 ? 0xa0 : 0xb4;
  const moveContext = (rva: number) => {
    move(rva + ipOff);
    move(rva + bpOff);
  };
  const threads = st.get(STREAM_THREADS);
  if (threads) {
    const tn = b.readUInt32LE(threads.rva);
    for (let i = 0; i < tn; i++) {
      const o = threads.rva + 4 + i * 48;
      const stackSize = b.readUInt32LE(o + 32);
      const stackRva = b.readUInt32LE(o + 36);
      for (let p = stackRva; p + word <= stackRva + stackSize; p += word) move(p);
      moveContext(b.readUInt32LE(o + 44));
    }
  }
  const ex = st.get(STREAM_EXCEPTION);
  if (ex) {
    const addr = b.readBigUInt64LE(ex.rva + 24);
    if (inside(addr)) b.writeBigUInt64LE(addr + opts.delta, ex.rva + 24);
    moveContext(b.readUInt32LE(ex.rva + 164));
  }
  // Captured image memory moves with the image.
  const mem = st.get(STREAM_MEMORY);
  if (mem) {
    const mn = b.readUInt32LE(mem.rva);
    for (let i = 0; i < mn; i++) {
      const o = mem.rva + 4 + i * 16;
      const start = b.readBigUInt64LE(o);
      if (inside(start)) b.writeBigUInt64LE(start + opts.delta, o);
    }
  }
  const mem64 = st.get(STREAM_MEMORY64);
  if (mem64) {
    const mn = Number(b.readBigUInt64LE(mem64.rva));
    for (let i = 0; i < mn; i++) {
      const o = mem64.rva + 16 + i * 16;
      const start = b.readBigUInt64LE(o);
      if (inside(start)) b.writeBigUInt64LE(start + opts.delta, o);
    }
  }
  return b;
}
