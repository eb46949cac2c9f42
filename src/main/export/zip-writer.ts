import type { Writable } from 'node:stream';
import * as zlib from 'node:zlib';

/**
 * A streaming zip writer for bundles. Each entry is deflated in 4 MiB pieces on the libuv
 * thread pool, several at once (pigz's trick: every piece but the last ends with a full flush,
 * so the compressed pieces concatenate into one valid deflate stream), while the caller already
 * produces the next bytes; a 200 MB dump then costs the wall time of its slowest stage, not the
 * sum. Sizes need not be known in advance (data descriptors); entries or archives past 4 GiB
 * get zip64 records. Names are UTF-8 (flag bit 11), modes are plain files (0644).
 */
export interface ZipEntryOptions {
  mtime: Date;
  /** 0 stores; 1–9 deflate. */
  level: number;
  /** Known size: lets the local header say zip64 up front for entries past 4 GiB. */
  size?: number;
  /**
   * Called with each source chunk once the writer holds no reference to it any more (its bytes
   * are checksummed and compressed), so the producer can fill it again instead of allocating:
   * a 170 MB dump otherwise churns through 40-odd fresh 4 MB buffers that glibc keeps resident.
   * Never called for stored entries (the output stream may still hold those bytes).
   */
  recycle?: (chunk: Buffer) => void;
}

interface Written {
  name: Buffer;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const PIECE = 4 * 1024 * 1024;
const MIN_PIECE = 1024 * 1024;
const MAX32 = 0xffffffff;
/** Deflate can outgrow its input a little; entries this close to 4 GiB are treated as zip64. */
const ZIP64_MARGIN = 64 * 1024 * 1024;

const crc32: (data: Buffer, value?: number) => number = (() => {
  const native = (zlib as unknown as { crc32?: (d: Buffer, v?: number) => number }).crc32;
  if (typeof native === 'function') return native;
  // Node before 20.15: the table-driven loop.
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (d: Buffer, v = 0) => {
    let c = ~v >>> 0;
    for (const x of d) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
    return ~c >>> 0;
  };
})();

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, d.getFullYear()));
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Output chunk size: compressed bytes arrive in slices of buffers this big, written as they are. */
const OUT_CHUNK = 256 * 1024;

/**
 * Deflates one piece on the thread pool. The compressed bytes come back as zlib's own chunks,
 * not joined: joining would allocate and copy the whole output once more per piece.
 */
function deflatePiece(piece: Buffer, level: number, last: boolean): Promise<Buffer[]> {
  return new Promise((res, rej) => {
    const z = zlib.createDeflateRaw({
      level,
      chunkSize: OUT_CHUNK,
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_FULL_FLUSH,
    });
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    z.once('error', rej);
    z.once('end', () => res(out));
    z.end(piece);
  });
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: Written[] = [];
  private closed = false;

  constructor(
    private readonly out: Writable,
    private readonly opts: { forceZip64?: boolean; concurrency?: number; tap?: (b: Buffer) => void } = {},
  ) {}

  private async write(b: Buffer): Promise<void> {
    this.offset += b.length;
    this.opts.tap?.(b);
    if (!this.out.write(b))
      await new Promise<void>((res, rej) => {
        const onDrain = () => {
          this.out.off('error', onError);
          res();
        };
        const onError = (e: Error) => {
          this.out.off('drain', onDrain);
          rej(e);
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
  }

  /** Adds one entry from a byte source (a Buffer or any async iterable of Buffers). */
  async add(
    name: string,
    source: Buffer | AsyncIterable<Buffer>,
    o: ZipEntryOptions,
  ): Promise<{ crc32: number; size: number; compressed: number }> {
    if (this.closed) throw new Error('zip already finished');
    const nameBytes = Buffer.from(name, 'utf8');
    const method = o.level > 0 ? 8 : 0;
    const { time, date } = dosTime(o.mtime);
    const flags = 0x0808;
    const zip64Local = this.opts.forceZip64 || (o.size !== undefined && o.size >= MAX32 - ZIP64_MARGIN);
    const offset = this.offset;
    const extra = zip64Local ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64Local) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
    }
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(zip64Local ? 45 : 20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    lh.writeUInt32LE(0, 14);
    lh.writeUInt32LE(zip64Local ? MAX32 : 0, 18);
    lh.writeUInt32LE(zip64Local ? MAX32 : 0, 22);
    lh.writeUInt16LE(nameBytes.length, 26);
    lh.writeUInt16LE(extra.length, 28);
    await this.write(Buffer.concat([lh, nameBytes, extra]));

    let crc = 0;
    let size = 0;
    let compressed = 0;
    const concurrency = Math.max(1, this.opts.concurrency ?? 3);
    const recycle = method === 8 ? o.recycle : undefined;
    // Pieces being compressed, in order; `done` is the source chunk a piece finishes, if any.
    const inflight: { out: Promise<Buffer[]>; done: Buffer | null }[] = [];
    const drainOne = async () => {
      const f = inflight.shift()!;
      const out = await f.out;
      if (f.done) recycle?.(f.done);
      for (const b of out) {
        compressed += b.length;
        await this.write(b);
      }
    };
    const feed = async (piece: Buffer, last: boolean, done: Buffer | null) => {
      crc = crc32(piece, crc);
      size += piece.length;
      if (method === 0) {
        compressed += piece.length;
        await this.write(piece);
        return;
      }
      inflight.push({ out: deflatePiece(piece, o.level, last), done });
      if (inflight.length >= concurrency) await drainOne();
    };
    try {
      if (Buffer.isBuffer(source)) {
        // Known to be all there is: its last piece carries the final block.
        if (source.length === 0) await feed(source, true, null);
        for (let at = 0; at < source.length; at += PIECE)
          await feed(source.subarray(at, at + PIECE), at + PIECE >= source.length, null);
      } else {
        // A stream's end is only known after its last chunk, so each piece ends with a full
        // flush and an empty final block closes the entry (2 bytes): no piece is held back.
        // Small chunks are gathered to at least MIN_PIECE.
        let small: Buffer[] = [];
        let smallBytes = 0;
        const flushSmall = async () => {
          const joined = Buffer.concat(small);
          for (const c of small) recycle?.(c);
          small = [];
          smallBytes = 0;
          await feed(joined, false, null);
        };
        for await (const c of source) {
          if (c.length < MIN_PIECE) {
            small.push(c);
            smallBytes += c.length;
            if (smallBytes >= MIN_PIECE) await flushSmall();
            continue;
          }
          if (small.length) await flushSmall();
          for (let at = 0; at < c.length; at += PIECE)
            await feed(c.subarray(at, at + PIECE), false, at + PIECE >= c.length ? c : null);
        }
        if (small.length) await flushSmall();
        await feed(Buffer.alloc(0), true, null);
      }
      while (inflight.length) await drainOne();
    } catch (e) {
      // Settle pieces still compressing so nothing rejects unobserved.
      await Promise.allSettled(inflight.map((f) => f.out));
      throw e;
    }

    const zip64Data = zip64Local || size >= MAX32 || compressed >= MAX32;
    const dd = Buffer.alloc(zip64Data ? 24 : 16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc >>> 0, 4);
    if (zip64Data) {
      dd.writeBigUInt64LE(BigInt(compressed), 8);
      dd.writeBigUInt64LE(BigInt(size), 16);
    } else {
      dd.writeUInt32LE(compressed, 8);
      dd.writeUInt32LE(size, 12);
    }
    await this.write(dd);
    this.entries.push({
      name: nameBytes,
      flags,
      method,
      time,
      date,
      crc: crc >>> 0,
      compressed,
      size,
      offset,
    });
    return { crc32: crc >>> 0, size, compressed };
  }

  /** Central directory and end records; the caller then ends the output stream. */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const cdStart = this.offset;
    for (const e of this.entries) {
      const fields: bigint[] = [];
      if (this.opts.forceZip64 || e.size >= MAX32) fields.push(BigInt(e.size));
      if (this.opts.forceZip64 || e.compressed >= MAX32) fields.push(BigInt(e.compressed));
      if (this.opts.forceZip64 || e.offset >= MAX32) fields.push(BigInt(e.offset));
      const extra = Buffer.alloc(fields.length ? 4 + fields.length * 8 : 0);
      if (fields.length) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(fields.length * 8, 2);
        fields.forEach((f, i) => extra.writeBigUInt64LE(f, 4 + i * 8));
      }
      const zip64 = fields.length > 0;
      const ch = Buffer.alloc(46);
      ch.writeUInt32LE(0x02014b50, 0);
      ch.writeUInt16LE((3 << 8) | (zip64 ? 45 : 20), 4);
      ch.writeUInt16LE(zip64 ? 45 : 20, 6);
      ch.writeUInt16LE(e.flags, 8);
      ch.writeUInt16LE(e.method, 10);
      ch.writeUInt16LE(e.time, 12);
      ch.writeUInt16LE(e.date, 14);
      ch.writeUInt32LE(e.crc, 16);
      ch.writeUInt32LE(this.opts.forceZip64 || e.compressed >= MAX32 ? MAX32 : e.compressed, 20);
      ch.writeUInt32LE(this.opts.forceZip64 || e.size >= MAX32 ? MAX32 : e.size, 24);
      ch.writeUInt16LE(e.name.length, 28);
      ch.writeUInt16LE(extra.length, 30);
      ch.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      ch.writeUInt32LE(this.opts.forceZip64 || e.offset >= MAX32 ? MAX32 : e.offset, 42);
      await this.write(Buffer.concat([ch, e.name, extra]));
    }
    const cdSize = this.offset - cdStart;
    const n = this.entries.length;
    if (this.opts.forceZip64 || n >= 0xffff || cdSize >= MAX32 || cdStart >= MAX32) {
      const z = Buffer.alloc(56);
      const eocd64At = this.offset;
      z.writeUInt32LE(0x06064b50, 0);
      z.writeBigUInt64LE(44n, 4);
      z.writeUInt16LE((3 << 8) | 45, 12);
      z.writeUInt16LE(45, 14);
      z.writeBigUInt64LE(BigInt(n), 24);
      z.writeBigUInt64LE(BigInt(n), 32);
      z.writeBigUInt64LE(BigInt(cdSize), 40);
      z.writeBigUInt64LE(BigInt(cdStart), 48);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(0x07064b50, 0);
      loc.writeBigUInt64LE(BigInt(eocd64At), 8);
      loc.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([z, loc]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(Math.min(n, 0xffff), 8);
    eocd.writeUInt16LE(Math.min(n, 0xffff), 10);
    eocd.writeUInt32LE(Math.min(cdSize, MAX32), 12);
    eocd.writeUInt32LE(this.opts.forceZip64 ? MAX32 : Math.min(cdStart, MAX32), 16);
    await this.write(eocd);
  }
}
