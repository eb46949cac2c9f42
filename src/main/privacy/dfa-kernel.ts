/**
 * The byte matcher's inner loop as a tiny WebAssembly function: four passes over four parts of a
 * chunk advanced in lockstep, each byte one table load. In JavaScript the same loop pays bounds
 * and type checks on every load and stops gaining past two passes; here the four chains of
 * dependent loads overlap, and the scan of a 200 MB log takes about a third of the time.
 *
 * The module is assembled here byte by byte (no toolchain is needed to build it); its text form
 * is in the comments. Everything it reads and writes is inside its own memory, which the caller
 * sizes, so a wrong argument can give wrong hits but never touch anything else.
 */

/** Memory layout: four end pointers, four final states, then the transition table. */
export const KERNEL_TABLE_AT = 64;
const COUNTS_AT = 0;
const STATES_AT = 16;

// Opcodes used below (WebAssembly core spec, binary format).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_LOAD = 0x28;
const I32_LOAD8_U = 0x2d;
const I32_STORE = 0x36;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_OR = 0x72;
const I32_SHL = 0x74;
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const END = 0x0b;
const BR_IF = 0x0d;
const VOID = 0x40;
const I32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const get = (l: number): number[] => [LOCAL_GET, ...uleb(l)];
const set = (l: number): number[] => [LOCAL_SET, ...uleb(l)];
const konst = (n: number): number[] => [I32_CONST, ...sleb(n)];
/** memarg: alignment (log2) and offset. */
const mem = (op: number, align: number, offset: number): number[] => [op, align, ...uleb(offset)];

// run(p0, step, count, out, stride): params 0-4; locals 5-16.
const P = [0, 5, 6, 7]; // each pass's read address
const E = [8, 9, 10, 11]; // each pass's table entry: next state << 8 | "a pattern ends here"
const O = [12, 13, 14, 15]; // each pass's next free hit slot
const STEP = 1;
const COUNT = 2;
const OUT = 3;
const STRIDE = 4;
const LEFT = 16;

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  // p1 = p0 + step, ...; o0 = out, o1 = o0 + stride, ...; left = count.
  for (let s = 1; s < 4; s++) emit(get(P[s - 1]!), get(STEP), [I32_ADD], set(P[s]!));
  emit(get(OUT), set(O[0]!));
  for (let s = 1; s < 4; s++) emit(get(O[s - 1]!), get(STRIDE), [I32_ADD], set(O[s]!));
  emit(get(COUNT), set(LEFT));
  // block; br_if (left == 0) out; loop
  emit([BLOCK, VOID], get(LEFT), [I32_EQZ, BR_IF, 0], [LOOP, VOID]);
  for (let s = 0; s < 4; s++)
    // e = table[(e & ~0xff) | mem[p]]
    emit(
      get(E[s]!),
      konst(-256),
      [I32_AND],
      get(P[s]!),
      mem(I32_LOAD8_U, 0, 0),
      [I32_OR],
      konst(2),
      [I32_SHL],
      mem(I32_LOAD, 2, KERNEL_TABLE_AT),
      set(E[s]!),
    );
  // if ((e0 | e1 | e2 | e3) & 1): each pass with a hit stores (entry, address) and moves on.
  emit(get(E[0]!), get(E[1]!), [I32_OR], get(E[2]!), [I32_OR], get(E[3]!), [I32_OR], konst(1), [I32_AND]);
  emit([IF, VOID]);
  for (let s = 0; s < 4; s++)
    emit(
      get(E[s]!),
      konst(1),
      [I32_AND, IF, VOID],
      get(O[s]!),
      get(E[s]!),
      mem(I32_STORE, 2, 0),
      get(O[s]!),
      get(P[s]!),
      mem(I32_STORE, 2, 4),
      get(O[s]!),
      konst(8),
      [I32_ADD],
      set(O[s]!),
      [END],
    );
  emit([END]);
  for (let s = 0; s < 4; s++) emit(get(P[s]!), konst(1), [I32_ADD], set(P[s]!));
  // left -= 1; br_if (left != 0) loop
  emit(get(LEFT), konst(1), [I32_SUB, LOCAL_TEE, ...uleb(LEFT)], [BR_IF, 0], [END, END]);
  // The end pointers and final states, for the caller.
  for (let s = 0; s < 4; s++) emit(konst(0), get(O[s]!), mem(I32_STORE, 2, COUNTS_AT + 4 * s));
  for (let s = 0; s < 4; s++) emit(konst(0), get(E[s]!), mem(I32_STORE, 2, STATES_AT + 4 * s));
  emit([END]);
  const locals = [1, 12, I32];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // type 0: (i32 x5) -> ()
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    // import "k" "m": memory, at least one page
    ...section(2, [1, ...str('k'), ...str('m'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('run'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

/** The part of the WebAssembly API used here (the main process's TypeScript lib has no DOM). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (size: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
}
type WasmModule = { readonly wasmModule: unique symbol };
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;

/** The compiled module, once per thread; null where WebAssembly cannot run (the caller loops in JS). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The thread's one instance and memory, shared by every kernel: a matcher is rebuilt whenever
 * the identity set grows, and a fresh memory per matcher (about 11 MB, its pages faulted in
 * again) cost more than copying a table in when another kernel last used it. `busy` is set
 * while a scan fills the hit lists: the matcher's collect calls nothing outside meanwhile, so
 * no second scan can start, but should one ever, it runs in the JS loop instead.
 */
interface Shared {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  run: (p0: number, step: number, count: number, out: number, stride: number) => void;
  bytes: Uint8Array;
  words: Int32Array;
  owner: DfaKernel | null;
  busy: boolean;
  /** The function trapped once (a bug, never expected): this thread scans in JS from then on. */
  broken: boolean;
}
let shared: Shared | null | undefined;

function sharedInstance(): Shared | null {
  if (shared !== undefined) return shared;
  const module = kernelModule();
  shared = null;
  if (!module || !wasm) return null;
  try {
    const memory = new wasm.Memory({ initial: 1 }) as Shared['memory'];
    const instance = new wasm.Instance(module, { k: { m: memory } });
    shared = {
      memory,
      run: instance.exports.run as Shared['run'],
      bytes: new Uint8Array(memory.buffer),
      words: new Int32Array(memory.buffer),
      owner: null,
      busy: false,
      broken: false,
    };
  } catch {
    shared = null;
  }
  return shared;
}

/**
 * Who takes the kernel's hits: the matcher, turning a state into its patterns, and walking the
 * chunks' last bytes in JS (methods, not a closure per scan).
 */
export interface HitSink<L> {
  emit(buf: Uint8Array, state: number, at: number, out: L): void;
  /** The same table walked in JavaScript over buf[from, to) from entry `e`, hits from `report` on. */
  walk(buf: Uint8Array, from: number, to: number, report: number, e: number, out: L): void;
}

/**
 * One matcher's table in the shared memory (copied in when another kernel used it last), a
 * chunk buffer and four hit lists. `scan` reports hits in the order one left-to-right pass
 * finds them.
 */
export class DfaKernel {
  /** Bytes of input per call: bounds the chunk buffer and the hit lists. */
  static readonly CHUNK = 1 << 20;
  private readonly bufAt: number;
  private readonly outAt: number;
  private readonly stride: number;
  private readonly size: number;

  private constructor(
    private readonly table: Uint32Array,
    private readonly warm: number,
  ) {
    this.bufAt = align(KERNEL_TABLE_AT + table.byteLength, 64);
    this.outAt = align(this.bufAt + DfaKernel.CHUNK + warm, 64);
    // A pass runs at most (chunk + 3 warm) / 4 + 1 steps, one hit slot (8 bytes) per step.
    this.stride = align((Math.floor((DfaKernel.CHUNK + 3 * warm) / 4) + 1) * 8, 64);
    this.size = this.outAt + 4 * this.stride;
  }

  /** A kernel for a dense table, or null when none can run (then the caller's own loop is used). */
  static create(table: Uint32Array, warm: number): DfaKernel | null {
    // Past a quarter of the chunk in warm-up the four passes would mostly repeat each other.
    if (!sharedInstance() || warm * 16 > DfaKernel.CHUNK) return null;
    return new DfaKernel(table, warm);
  }

  /** The shared memory holding this kernel's table and room for its chunk, or null when busy. */
  private claim(): Shared | null {
    const sh = sharedInstance();
    if (!sh || sh.busy || sh.broken) return null;
    const have = sh.memory.buffer.byteLength;
    if (have < this.size) {
      try {
        sh.memory.grow(Math.ceil((this.size - have) / 65536));
      } catch {
        return null;
      }
      sh.bytes = new Uint8Array(sh.memory.buffer);
      sh.words = new Int32Array(sh.memory.buffer);
    }
    if (sh.owner !== this) {
      const t = this.table;
      sh.bytes.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), KERNEL_TABLE_AT);
      sh.owner = this;
    }
    return sh;
  }

  /**
   * Gives `sink` every byte of buf[from, to) after which a pattern ends, with its state.
   * False when the kernel could not run (the shared memory is in use or cannot grow) or
   * trapped part way: the caller then drops what `out` got and scans in its own loop.
   */
  scan<L>(buf: Uint8Array, from: number, to: number, sink: HitSink<L>, out: L): boolean {
    const sh = this.claim();
    if (!sh) return false;
    sh.busy = true;
    try {
      return this.scanChunks(sh, buf, from, to, sink, out);
    } finally {
      sh.busy = false;
    }
  }

  // The per-hit loops are small separate methods, each run from the first chunk on, so V8
  // optimizes them early in a process's first scan with complete type feedback (one function
  // holding them all was optimized and deoptimized three times over a cold 200 MB scan).
  private scanChunks<L>(
    sh: Shared,
    buf: Uint8Array,
    from: number,
    to: number,
    sink: HitSink<L>,
    out: L,
  ): boolean {
    const { warm, bufAt, outAt, stride } = this;
    for (let c0 = from; c0 < to; c0 += DfaKernel.CHUNK) {
      const c1 = Math.min(to, c0 + DfaKernel.CHUNK);
      // Each pass starts from the root `warm` bytes before the first byte it reports (or at the
      // start of the range, where the root is exact), so its states there are a single pass's.
      const lo = Math.max(from, c0 - warm);
      const count = Math.floor((c1 - lo + 3 * warm) / 4);
      if (count <= warm) {
        sink.walk(buf, lo, c1, c0, 0, out);
        continue;
      }
      const step = count - warm;
      sh.bytes.set(buf.subarray(lo, c1), bufAt);
      try {
        sh.run(bufAt, step, count, outAt, stride);
      } catch {
        sh.broken = true;
        return false;
      }
      const words = sh.words;
      for (let s = 0; s < 4; s++) {
        const start = lo + s * step;
        const end = words[(COUNTS_AT >> 2) + s]! >> 2;
        this.deliver(
          words,
          (outAt + s * stride) >> 2,
          end,
          lo - bufAt,
          s === 0 ? c0 : start + warm,
          buf,
          sink,
          out,
        );
      }
      // The last pass ends up to three bytes short of the chunk's end: finish it here.
      sink.walk(buf, lo + 3 * step + count, c1, 0, words[(STATES_AT >> 2) + 3]!, out);
    }
    return true;
  }

  /** One pass's hits, words[k, end) as (entry, address) pairs, from offset `first` on. */
  private deliver<L>(
    words: Int32Array,
    k: number,
    end: number,
    shift: number,
    first: number,
    buf: Uint8Array,
    sink: HitSink<L>,
    out: L,
  ): void {
    for (; k < end; k += 2) {
      const at = words[k + 1]! + shift;
      if (at >= first) sink.emit(buf, words[k]! >>> 8, at, out);
    }
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
