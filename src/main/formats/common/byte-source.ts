import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ParseError } from './parse-error';

/**
 * Random-access, bounds-checked bytes. Parsers take a ByteSource instead of a Buffer so a
 * multi-GB dump or trace is read through a file handle, a window at a time, and a fuzz test can
 * hand the same parser an in-memory buffer.
 */
export interface ByteSource {
  readonly size: number;
  readonly name: string;
  /** Exactly `length` bytes at `offset`, or a ParseError naming `field` when out of range. */
  read(offset: number, length: number, field: string): Buffer;
  close(): void;
}

/** Hard cap on any single read so a corrupt length can never allocate unbounded memory. */
export const MAX_SINGLE_READ = 256 * 1024 * 1024;

function checkRange(src: ByteSource, offset: number, length: number, field: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new ParseError(`invalid range ${offset}+${length}`, {
      file: src.name,
      field,
      offset,
      code: 'bad_range',
    });
  }
  if (length > MAX_SINGLE_READ) {
    throw new ParseError(`read of ${length} bytes exceeds the ${MAX_SINGLE_READ}-byte limit`, {
      file: src.name,
      field,
      offset,
      code: 'too_large',
    });
  }
  if (offset + length > src.size) {
    throw new ParseError(`range ${offset}+${length} is past the end of the file (${src.size} bytes)`, {
      file: src.name,
      field,
      offset,
      code: 'out_of_bounds',
    });
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly buf: Buffer,
    readonly name = '<memory>',
  ) {
    this.size = buf.length;
  }
  read(offset: number, length: number, field: string): Buffer {
    checkRange(this, offset, length, field);
    return this.buf.subarray(offset, offset + length);
  }
  close(): void {}
}

/** Reads through a file descriptor with a small read-ahead cache for the many tiny header reads. */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | null;
  private cache: Buffer = Buffer.alloc(0);
  private cacheStart = 0;
  private static readonly CACHE = 64 * 1024;

  constructor(readonly name: string) {
    this.fd = openSync(name, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number, field: string): Buffer {
    checkRange(this, offset, length, field);
    if (this.fd === null) throw new Error(`FileSource ${this.name} is closed`);
    if (offset >= this.cacheStart && offset + length <= this.cacheStart + this.cache.length) {
      return this.cache.subarray(offset - this.cacheStart, offset - this.cacheStart + length);
    }
    if (length <= FileSource.CACHE / 4) {
      const n = Math.min(FileSource.CACHE, this.size - offset);
      const buf = Buffer.allocUnsafe(n);
      readFully(this.fd, buf, offset);
      this.cache = buf;
      this.cacheStart = offset;
      return buf.subarray(0, length);
    }
    const out = Buffer.allocUnsafe(length);
    readFully(this.fd, out, offset);
    return out;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function readFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0)
      throw new ParseError('file shrank while reading', { offset: position + done, code: 'truncated' });
    done += n;
  }
}

/** Opens `path`, runs `fn`, always closes. */
export function withFileSource<T>(path: string, fn: (src: ByteSource) => T): T {
  const src = new FileSource(path);
  try {
    return fn(src);
  } finally {
    src.close();
  }
}
