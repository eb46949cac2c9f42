import type { ByteSource } from '../common/byte-source';
import { detectEncoding, type EncodingInfo, type TextEncoding } from '../common/text-encoding';
import { LineScanner, type LineSink } from './line-scanner';

/** Chunk size of every read: big enough for memchr to shine, small enough to stay bounded. */
export const CHUNK_BYTES = 1024 * 1024;
/** Give the event loop a turn this often, so a 1 GB log does not freeze the app's main process. */
const YIELD_EVERY_BYTES = 16 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

/** Encoding of a text source, from its first 64 KiB. */
export function sourceEncoding(src: ByteSource, forced?: TextEncoding): EncodingInfo {
  const head = src.read(0, Math.min(src.size, HEAD_BYTES), 'head');
  return detectEncoding(head, forced);
}

export interface ScanOptions {
  encoding: EncodingInfo;
  maxLineBytes: number;
  /** Where to start (a line start: the BOM end or a line-index checkpoint) and its line number. */
  startOffset?: number;
  startLine?: number;
  /** Stop reading at this byte offset (exclusive); the file size by default. */
  endOffset?: number;
}

/**
 * Reads `src` chunk by chunk from a line start and hands every line to `sink` (which may stop
 * the scan by returning false). Never holds more than one chunk and one line prefix.
 */
export async function scanLines(src: ByteSource, opts: ScanOptions, sink: LineSink): Promise<void> {
  const start = opts.startOffset ?? opts.encoding.bom;
  const end = Math.min(opts.endOffset ?? src.size, src.size);
  const scanner = new LineScanner(sink, {
    maxLineBytes: opts.maxLineBytes,
    unit: opts.encoding.unit,
    bigEndian: opts.encoding.encoding === 'utf-16be',
    startOffset: start,
    startLine: opts.startLine ?? 1,
  });
  let sinceYield = 0;
  for (let pos = start; pos < end && !scanner.done;) {
    const n = Math.min(CHUNK_BYTES, end - pos);
    scanner.push(src.read(pos, n, 'text'), pos);
    pos += n;
    sinceYield += n;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  scanner.end();
}
