/**
 * Splits a byte stream into lines without ever holding more than one chunk plus the first
 * `maxLineBytes` of the current line: a 10 MB line costs no more memory than a short one.
 * LF, CRLF and lone CR all end a line, mixed freely (logs appended by different tools).
 * Works on raw bytes so every line keeps its exact byte offset in the file (the raw view
 * seeks by it); `unit` 2 handles UTF-16 (line breaks are 16-bit units at even offsets).
 */
export interface LineInfo {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Full length of the line in bytes, without its terminator. */
  length: number;
  /** True when the line was longer than maxLineBytes and `bytes` holds only its start. */
  truncated: boolean;
}

/**
 * Receives each line: its (possibly truncated) bytes are `buf[start, end)`; both they and
 * `info` (one object, reused: no allocation per line) are valid only during the call.
 * Return false to stop the scan.
 */
export type LineSink = (buf: Buffer, start: number, end: number, info: LineInfo) => boolean | void;

const LF = 0x0a;
const CR = 0x0d;

export class LineScanner {
  private readonly carry: Buffer;
  private carryLen = 0;
  /** Bytes of the current (unfinished) line seen so far, including what did not fit the carry. */
  private partLen = 0;
  private lineStart: number;
  private lineNo: number;
  private pendingCr = false;
  private stopped = false;
  private readonly info: LineInfo = { line: 0, offset: 0, length: 0, truncated: false };

  constructor(
    private readonly sink: LineSink,
    private readonly opts: {
      maxLineBytes: number;
      unit: 1 | 2;
      bigEndian?: boolean;
      /** Offset of the first byte pushed (after a BOM, or a checkpoint when seeking). */
      startOffset: number;
      /** Number of the first line pushed (1 unless resuming at a checkpoint). */
      startLine?: number;
    },
  ) {
    this.carry = Buffer.allocUnsafe(opts.maxLineBytes);
    this.lineStart = opts.startOffset;
    this.lineNo = opts.startLine ?? 1;
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Line number the next line will get. */
  get nextLine(): number {
    return this.lineNo;
  }

  /** Feeds the next chunk; `offset` is its position in the file. */
  push(buf: Buffer, offset: number): void {
    if (this.stopped) return;
    if (this.opts.unit === 2) this.push16(buf, offset);
    else this.push8(buf, offset);
  }

  /** Flushes a last line that had no terminator. */
  end(): void {
    if (this.stopped) return;
    if (this.partLen > 0) this.emitCarry();
  }

  private push8(buf: Buffer, offset: number): void {
    const len = buf.length;
    let pos = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (len > 0 && buf[0] === LF) {
        pos = 1;
        this.lineStart = offset + 1;
      }
    }
    // indexOf is a native memchr; caching the next hit keeps mixed endings linear.
    let nl = -1;
    let cr = -1;
    while (pos < len && !this.stopped) {
      if (nl < pos) nl = indexOrEnd(buf, LF, pos, len);
      if (cr < pos) cr = indexOrEnd(buf, CR, pos, len);
      const e = nl < cr ? nl : cr;
      if (e >= len) {
        this.append(buf, pos, len);
        return;
      }
      this.finishLine(buf, pos, e);
      let next = e + 1;
      if (buf[e] === CR) {
        if (e + 1 < len) {
          if (buf[e + 1] === LF) next = e + 2;
        } else this.pendingCr = true;
      }
      this.lineStart = offset + next;
      pos = next;
    }
  }

  private push16(buf: Buffer, offset: number): void {
    const be = this.opts.bigEndian === true;
    // Chunks are pushed at even offsets with even lengths, except perhaps a dangling last byte.
    const len = buf.length & ~1;
    let pos = 0;
    const unitAt = (i: number) => (be ? (buf[i]! << 8) | buf[i + 1]! : buf[i]! | (buf[i + 1]! << 8));
    if (this.pendingCr) {
      this.pendingCr = false;
      if (len >= 2 && unitAt(0) === LF) {
        pos = 2;
        this.lineStart = offset + 2;
      }
    }
    let i = pos;
    while (i < len && !this.stopped) {
      const u = unitAt(i);
      if (u !== LF && u !== CR) {
        i += 2;
        continue;
      }
      this.finishLine(buf, pos, i);
      let next = i + 2;
      if (u === CR) {
        if (i + 2 < len) {
          if (unitAt(i + 2) === LF) next = i + 4;
        } else this.pendingCr = true;
      }
      this.lineStart = offset + next;
      pos = next;
      i = next;
    }
    if (!this.stopped && pos < len) this.append(buf, pos, len);
  }

  private append(buf: Buffer, start: number, end: number): void {
    const room = this.carry.length - this.carryLen;
    const n = Math.min(room, end - start);
    if (n > 0) {
      buf.copy(this.carry, this.carryLen, start, start + n);
      this.carryLen += n;
    }
    this.partLen += end - start;
  }

  private finishLine(buf: Buffer, start: number, end: number): void {
    if (this.partLen > 0) {
      this.append(buf, start, end);
      this.emitCarry();
      return;
    }
    const length = end - start;
    const max = this.opts.maxLineBytes;
    const truncated = length > max;
    this.emit(buf, start, truncated ? start + max : end, length, truncated);
  }

  private emitCarry(): void {
    const length = this.partLen;
    const truncated = length > this.carryLen;
    this.carryLen = 0;
    this.partLen = 0;
    this.emit(this.carry, 0, Math.min(length, this.carry.length), length, truncated);
  }

  private emit(buf: Buffer, start: number, end: number, length: number, truncated: boolean): void {
    if (this.opts.unit === 2) end = start + ((end - start) & ~1);
    const info = this.info;
    info.line = this.lineNo;
    info.offset = this.lineStart;
    info.length = length;
    info.truncated = truncated;
    const go = this.sink(buf, start, end, info);
    this.lineNo++;
    if (go === false) this.stopped = true;
  }
}

function indexOrEnd(buf: Buffer, byte: number, from: number, len: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? len : i;
}
