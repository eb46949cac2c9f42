import { open } from 'node:fs/promises';
import { detectEncoding } from '../formats/common/text-encoding';
import { BufferPool, type Recycler } from './buffer-pool';
import type { ByteEngine, ScanPurpose, TokenOf } from './byte-engine';
import { HitCounter, mergeSpans, type Span } from './redactor';
import { fileStamp, type CachedFile, type ScanCache } from './scan-cache';
import { OrderedScans, type ScanWorkers } from './ordered-scans';

/**
 * Text artifacts are redacted as bytes, a few MB of whole lines at a time, so a 100 MB log never
 * becomes one JS string and bytes in an unknown code page pass through untouched. UTF-16 files
 * (little- or big-endian, with or without a BOM) are turned into UTF-8 for the scan and back.
 */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

const CHUNK = 2 * 1024 * 1024;
/** Room before each chunk for the line carried over from the one before (usually far shorter). */
const HEADROOM = 64 * 1024;
/** The size of each read buffer (for a pool of them: TextPassOptions.buffers). */
export const TEXT_READ_BUFFER = HEADROOM + CHUNK;
/** A "line" longer than this (minified JSON) is cut anyway, at a space or comma if there is one. */
const MAX_PIECE = 16 * 1024 * 1024;

/**
 * What the pass does with a file's bytes, from the shared detector (formats/common/text-encoding.ts):
 * UTF-16 (either byte order) is transcoded, everything else is scanned as bytes (a UTF-8 mark and ASCII-compatible
 * code pages pass through untouched).
 */
export function detectTextEncoding(head: Buffer): { encoding: TextEncoding; bom: number } {
  const d = detectEncoding(head);
  if (d.encoding === 'utf-16le') return { encoding: 'utf16le', bom: d.bom };
  if (d.encoding === 'utf-16be') return { encoding: 'utf16be', bom: d.bom };
  return { encoding: 'utf8', bom: 0 };
}

/** Where to cut `buf` so the piece ends at a line end and no PEM block is split. */
function cutPoint(buf: Buffer, final: boolean, nl: Buffer): number {
  if (final) return buf.length;
  let cut = buf.lastIndexOf(nl);
  if (cut < 0) {
    if (buf.length < MAX_PIECE) return 0;
    const sp = Math.max(buf.lastIndexOf(0x20), buf.lastIndexOf(0x2c));
    return sp > buf.length / 2 ? sp + 1 : buf.length;
  }
  cut += nl.length;
  // A private key block must reach the rule whole: cut before its BEGIN line instead.
  const tail = buf.subarray(Math.max(0, cut - 64 * 1024), cut);
  const begin = tail.lastIndexOf('-----BEGIN');
  if (begin >= 0 && tail.indexOf('-----END', begin) < 0) {
    const abs = cut - tail.length + begin;
    const lineStart = buf.lastIndexOf(nl, abs);
    if (lineStart > 0) return lineStart + nl.length;
  }
  return cut;
}

export interface TextPassOptions {
  engine: ByteEngine;
  /** "discover" with a `cache` also keeps each piece's spans there; "redact" takes them back. */
  purpose: Extract<ScanPurpose, 'discover' | 'redact'>;
  cache?: ScanCache;
  learnedFrom: string;
  /** Receives the redacted bytes (redact purpose). */
  write?: (chunk: Buffer) => Promise<void>;
  counter?: HitCounter;
  tokenOf?: TokenOf;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** Collects a few redacted lines around replacements (the export preview). */
  samples?: string[];
  /**
   * Redact purpose: where read buffers come from, and the count of who still holds them. Each
   * unchanged run written as a view of a read buffer is lent, and the consumer gives it back
   * once done with its bytes, so the pass reuses a few buffers instead of page-faulting in a
   * fresh one per chunk (see buffer-pool.ts). Without it, every chunk is a new buffer.
   */
  buffers?: ReadBuffers;
  /**
   * Discover purpose with a `cache`: worker threads to share a big UTF-8 file's scan with. The
   * values are still learned here, piece after piece in the file's order.
   */
  workers?: ScanWorkers;
}

export interface TextPassResult {
  encoding: TextEncoding;
  /** Pieces the file was scanned in, and how many of them a scan worker scanned. */
  pieces: number;
  onWorkers: number;
}

/** What the pass needs of a buffer pool (buffer-pool.ts's BufferPool). */
export interface ReadBuffers extends Recycler {
  take(n: number): Buffer;
}

const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 160;

/** One pass over a text file: discover identities, or write a redacted copy through `write`. */
export async function textFilePass(path: string, o: TextPassOptions): Promise<TextPassResult> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const { encoding, bom } = detectTextEncoding(head.subarray(0, bytesRead));
    const st = await fh.stat({ bigint: true });
    const stamp = fileStamp(st);
    const rec = o.cache && o.purpose === 'discover' ? o.cache.begin(o.learnedFrom, stamp, 'text') : null;
    const at = { stamp, rec };
    const workers =
      rec && o.workers?.available && encoding === 'utf8' && st.size >= BigInt(o.workers.minBytes)
        ? o.workers
        : null;
    const nl = Buffer.from(
      encoding === 'utf16le' ? '\n\0' : encoding === 'utf16be' ? '\0\n' : '\n',
      'latin1',
    );
    if (bom && o.write) await o.write(head.subarray(0, bom));
    let pos = bom;
    let carry: Buffer = Buffer.alloc(0);
    // Each chunk is read with room in front for the carried-over partial line, so it is never
    // copied, and the next one is read while this one is scanned. Redaction takes a buffer from
    // `buffers` if given (its views go back there once written), else a new one each time (a
    // piece may still be on its way into the zip). Discovery keeps nothing of a piece, so it
    // reuses the buffer before last (two in all, no garbage per chunk); with workers, shared
    // buffers that each piece on a worker holds until its scan is back.
    const reuse = o.purpose === 'discover' && !workers;
    const pool: ReadBuffers | undefined =
      o.purpose === 'redact' ? o.buffers : workers ? new BufferPool(TEXT_READ_BUFFER, 8, true) : undefined;
    const shared = workers ? new OrderedScans(o.engine, o.learnedFrom, workers, pool!) : null;
    let pieces = 0;
    let spare: Buffer | null = null;
    let prev: Buffer | null = null;
    // The pool buffer the carried line lies in: given back once that line is copied out.
    let held: Buffer | null = null;
    const readAhead = (from: number) => {
      const b = spare ?? pool?.take(TEXT_READ_BUFFER) ?? Buffer.allocUnsafe(TEXT_READ_BUFFER);
      spare = null;
      const r = fh.read(b, HEADROOM, CHUNK, from).then((x) => ({ b, n: x.bytesRead }));
      r.catch(() => undefined);
      return r;
    };
    let next = readAhead(pos);
    for (;;) {
      o.signal?.throwIfAborted();
      const { b, n } = await next;
      pos += n;
      const final = n === 0;
      let buf: Buffer;
      if (carry.length <= HEADROOM) {
        carry.copy(b, HEADROOM - carry.length);
        buf = b.subarray(HEADROOM - carry.length, HEADROOM + n);
      } else buf = Buffer.concat([carry, b.subarray(HEADROOM, HEADROOM + n)]);
      // The carried line is copied out of the buffer before: it is free again.
      if (reuse && prev) spare = prev;
      prev = buf.buffer === b.buffer ? b : null;
      if (held) pool!.give(held);
      held = pool ? b : null;
      if (!final) next = readAhead(pos);
      let cut = cutPoint(buf, final, nl);
      if (encoding !== 'utf8' && cut % 2 === 1) cut--;
      const piece = buf.subarray(0, cut);
      carry = buf.subarray(cut);
      const parts: [Buffer, number][] = [];
      if (piece.length) parts.push([piece, pos - buf.length]);
      if (final && carry.length) parts.push([carry, pos - carry.length]);
      for (const [bytes, offset] of parts) {
        pieces++;
        if (shared)
          await shared.add(bytes, (r) => o.cache!.put(rec!, offset, bytes.length, r.version, r.spans));
        else await processPiece(bytes, offset, encoding, o, at);
      }
      o.onBytes?.(n);
      if (final) break;
    }
    await shared?.finish();
    if (held) pool!.give(held);
    if (o.purpose === 'redact') o.cache?.drop(o.learnedFrom);
    return { encoding, pieces, onWorkers: shared?.onWorkers ?? 0 };
  } finally {
    await fh.close();
  }
}

/** UTF-16 text as UTF-8 bytes for the scan (big-endian swapped on a copy first). */
function toScanBytes(piece: Buffer, encoding: TextEncoding): Buffer {
  if (encoding === 'utf8') return piece;
  const le = encoding === 'utf16be' ? Buffer.from(piece.subarray(0, piece.length & ~1)).swap16() : piece;
  return Buffer.from(le.toString('utf16le'), 'utf8');
}

function fromScanBytes(out: Buffer, encoding: TextEncoding): Buffer {
  if (encoding === 'utf8') return out;
  const le = Buffer.from(out.toString('utf8'), 'utf16le');
  return encoding === 'utf16be' ? le.swap16() : le;
}

async function processPiece(
  piece: Buffer,
  offset: number,
  encoding: TextEncoding,
  o: TextPassOptions,
  file: { stamp: string; rec: CachedFile | null },
): Promise<void> {
  const bytes = toScanBytes(piece, encoding);
  if (o.purpose === 'discover') {
    if (!file.rec) {
      o.engine.scan(bytes, 'text', 'discover', o.learnedFrom);
      return;
    }
    const version = o.engine.identities.version;
    const found = o.engine.scan(bytes, 'text', 'both', o.learnedFrom);
    o.cache!.put(file.rec, offset, piece.length, version, found);
    return;
  }
  const spans =
    o.cache?.take(o.learnedFrom, file.stamp, offset, piece.length, bytes) ??
    o.engine.scan(bytes, 'text', 'redact', o.learnedFrom);
  if (o.samples && o.samples.length < MAX_SAMPLES) collectSamples(bytes, spans, o);
  if (!o.write) {
    for (const s of mergeSpans(spans)) o.counter?.add(s.ruleId);
    return;
  }
  if (encoding !== 'utf8') {
    const out = o.engine.rewrite(bytes, spans, o.counter!, o.learnedFrom, o.tokenOf!);
    await o.write(fromScanBytes(out, encoding));
    return;
  }
  // UTF-8 is written as it was scanned: unchanged runs go out as views of this piece's buffer,
  // lent to the writer when the buffer comes from `buffers` (read into again only once every view
  // is back), else a new buffer per chunk.
  for (const part of o.engine.rewriteParts(bytes, spans, o.counter!, o.learnedFrom, o.tokenOf!)) {
    if (part.buffer === bytes.buffer) o.buffers?.lend(part);
    await o.write(part);
  }
}

/** Redacted copies of the lines holding the first replacements, shortened around them. */
function collectSamples(bytes: Buffer, spans: Span[], o: TextPassOptions): void {
  const seenLines = new Set<number>();
  for (const s of mergeSpans([...spans])) {
    if (o.samples!.length >= MAX_SAMPLES) return;
    const ls = bytes.lastIndexOf(0x0a, Math.max(0, s.start - 1)) + 1;
    if (seenLines.has(ls)) continue;
    seenLines.add(ls);
    let le = bytes.indexOf(0x0a, s.end);
    if (le < 0) le = bytes.length;
    // A value that runs past the line (a PEM block) cannot be shown redacted by halves.
    if (spans.some((x) => x.start < le && x.end > ls && (x.start < ls || x.end > le))) continue;
    const line = bytes.subarray(ls, le);
    const inLine = spans
      .filter((x) => x.start >= ls && x.end <= le)
      .map((x) => ({ ...x, start: x.start - ls, end: x.end - ls, unit: 1 as const }));
    const red = o.engine.rewrite(line, inLine, new HitCounter(), o.learnedFrom, o.tokenOf!).toString('utf8');
    const at = Math.max(0, s.start - ls - SAMPLE_CHARS / 2);
    const text = red.slice(at, at + SAMPLE_CHARS).replace(/\r$/, '');
    o.samples!.push(`${at > 0 ? '…' : ''}${text}${at + SAMPLE_CHARS < red.length ? '…' : ''}`);
  }
}
