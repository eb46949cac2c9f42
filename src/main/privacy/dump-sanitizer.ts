import { copyFile, open, rm, type FileHandle } from 'node:fs/promises';
import { FileSource } from '../formats/common/byte-source';
import { isParseError } from '../formats/common/parse-error';
import { readMinidump, type Minidump, type StreamEntry } from '../formats/minidump/reader';
import type { ByteEngine } from './byte-engine';
import { HitCounter, mergeSpans, type Redactor } from './redactor';
import { fileStamp, type ScanCache } from './scan-cache';

/**
 * A shareable copy of a minidump. Three layers, each for what the one before cannot see:
 *  1. the strings the format names (module and unloaded-module paths, thread names, handle
 *     type/object names, comments, MiscInfo build strings, CodeView PDB paths, CSD version)
 *     are redacted with every rule, at the same length;
 *  2. every byte of the file (memory, user streams, anything) is scanned for identities and
 *     binary-safe rules in ASCII/UTF-8/code pages and UTF-16LE, any case, and overwritten at the
 *     same length;
 *  3. optionally ("stacks only") memory other than thread stacks is dropped first: the tail of
 *     a Memory64List is rewritten without it, MemoryList entries are unlisted and zeroed.
 * Offsets and sizes never change except when memory is dropped, so the dump still parses.
 *
 * The scrubbed bytes come out as a stream of chunks (scrubbedChunks) so an export can deflate
 * one chunk while the next is scanned, without a second copy of a multi-GB dump on disk.
 */
export interface SanitizeOptions {
  stacksOnly?: boolean;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

export interface SanitizeResult {
  /** False when the file could not be parsed as a minidump: it was scrubbed as plain bytes. */
  parsed: boolean;
  problems: string[];
  droppedRanges: number;
  droppedBytes: number;
  size: number;
}

/** The bytes each scrubbed chunk carries (all but the file's last). */
export const SCRUB_CHUNK = 4 * 1024 * 1024;
const CHUNK = SCRUB_CHUNK;
/** Read this much around each chunk so a value crossing a chunk edge is seen whole. */
const OVERLAP = 64 * 1024;
const MAX_STRING_BYTES = 64 * 1024;

interface StringLoc {
  offset: number;
  length: number;
  encoding: 'utf16le' | 'bytes';
  field: string;
}

interface Patch {
  offset: number;
  bytes: Buffer;
}

/** What a scrub of one file needs: its size, whether it parsed, and the string patches. */
export interface ScrubPlan {
  path: string;
  size: number;
  parsed: boolean;
  problems: string[];
  patches: Patch[];
}

function parse(path: string): { md: Minidump | null; problems: string[]; size: number } {
  const src = new FileSource(path);
  try {
    const md = readMinidump(src);
    return { md, problems: md.problems.map((p) => `${p.stream}: ${p.message}`), size: src.size };
  } catch (e) {
    if (isParseError(e)) return { md: null, problems: [e.message], size: src.size };
    throw e;
  } finally {
    src.close();
  }
}

function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  return readInto(fh, Buffer.alloc(length), offset, length);
}

/** Where the format keeps strings, found through the reader's stream directory. */
async function stringLocations(fh: FileHandle, md: Minidump, fileSize: number): Promise<StringLoc[]> {
  const out: StringLoc[] = [];
  const u32 = async (o: number) => (o + 4 <= fileSize ? (await readAt(fh, o, 4)).readUInt32LE(0) : 0);
  const mdString = async (rva: number, field: string) => {
    if (!rva || rva + 4 > fileSize) return;
    const len = await u32(rva);
    if (len > 0 && len <= MAX_STRING_BYTES && rva + 4 + len <= fileSize)
      out.push({ offset: rva + 4, length: len, encoding: 'utf16le', field });
  };
  const inside = (s: StreamEntry, need: number) => s.offset + need <= fileSize && need <= s.size;
  // {SizeOfHeader, SizeOfEntry, NumberOfEntries} lists (unloaded modules, handles).
  const sizedList = async (s: StreamEntry, minEntry: number) => {
    const h = await readAt(fh, s.offset, 12);
    const header = h.readUInt32LE(0);
    const entry = h.readUInt32LE(4);
    const n = h.readUInt32LE(8);
    if (entry < minEntry || entry > 4096 || !inside(s, header + n * entry)) return null;
    return { entry, n, b: await readAt(fh, s.offset + header, n * entry) };
  };
  for (const s of md.streams) {
    try {
      switch (s.type) {
        case 4: {
          const n = await u32(s.offset);
          if (!inside(s, 4 + n * 108)) break;
          const b = await readAt(fh, s.offset + 4, n * 108);
          for (let i = 0; i < n; i++) {
            const o = i * 108;
            await mdString(b.readUInt32LE(o + 20), `module[${i}].name`);
            const cvSize = b.readUInt32LE(o + 76);
            const cvRva = b.readUInt32LE(o + 80);
            if (cvSize >= 24 && cvSize <= MAX_STRING_BYTES && cvRva + cvSize <= fileSize) {
              const sig = (await readAt(fh, cvRva, 4)).toString('latin1');
              const at = sig === 'RSDS' ? 24 : sig === 'NB10' ? 16 : -1;
              if (at > 0)
                out.push({
                  offset: cvRva + at,
                  length: cvSize - at,
                  encoding: 'bytes',
                  field: `module[${i}].pdb`,
                });
            }
            const miscSize = b.readUInt32LE(o + 84);
            const miscRva = b.readUInt32LE(o + 88);
            if (miscSize > 12 && miscSize <= MAX_STRING_BYTES && miscRva + miscSize <= fileSize)
              out.push({
                offset: miscRva + 12,
                length: miscSize - 12,
                encoding: 'bytes',
                field: `module[${i}].misc`,
              });
          }
          break;
        }
        case 14: {
          const l = await sizedList(s, 24);
          if (l)
            for (let i = 0; i < l.n; i++)
              await mdString(l.b.readUInt32LE(i * l.entry + 20), `unloaded[${i}].name`);
          break;
        }
        case 24: {
          const n = await u32(s.offset);
          if (!inside(s, 4 + n * 12)) break;
          const b = await readAt(fh, s.offset + 4, n * 12);
          for (let i = 0; i < n; i++) {
            const rva = Number(b.readBigUInt64LE(i * 12 + 4));
            if (Number.isSafeInteger(rva)) await mdString(rva, `threadName[${i}]`);
          }
          break;
        }
        case 12: {
          const l = await sizedList(s, 32);
          for (let i = 0; l && i < l.n; i++) {
            await mdString(l.b.readUInt32LE(i * l.entry + 8), `handle[${i}].type`);
            await mdString(l.b.readUInt32LE(i * l.entry + 12), `handle[${i}].name`);
          }
          break;
        }
        case 10:
        case 11:
          if (s.offset + s.size <= fileSize && s.size <= MAX_STRING_BYTES)
            out.push({
              offset: s.offset,
              length: s.type === 11 ? s.size & ~1 : s.size,
              encoding: s.type === 11 ? 'utf16le' : 'bytes',
              field: 'comment',
            });
          break;
        case 15:
          if (s.size >= 832 && s.offset + 832 <= fileSize) {
            out.push({ offset: s.offset + 232, length: 520, encoding: 'utf16le', field: 'misc.buildString' });
            out.push({
              offset: s.offset + 752,
              length: 80,
              encoding: 'utf16le',
              field: 'misc.dbgBuildString',
            });
          }
          break;
        case 7:
          if (s.size >= 28) await mdString(await u32(s.offset + 24), 'system.csdVersion');
          break;
        default:
          break;
      }
    } catch {
      // A damaged stream still gets the whole-file byte scan below.
    }
  }
  return out;
}

/** The string with its NULs kept in place, so the redacted bytes line up with the original. */
function decodeLoc(b: Buffer, enc: StringLoc['encoding']): string {
  return enc === 'utf16le' ? b.toString('utf16le') : b.toString('latin1');
}

async function redactStrings(
  fh: FileHandle,
  md: Minidump,
  size: number,
  redactor: Redactor,
  counter: HitCounter,
  learnedFrom: string,
  purpose: 'discover' | 'redact',
): Promise<Patch[]> {
  const patches: Patch[] = [];
  for (const loc of await stringLocations(fh, md, size)) {
    const b = await readAt(fh, loc.offset, loc.length);
    const text = decodeLoc(b, loc.encoding);
    const view = loc.encoding === 'utf16le' ? 'unicode' : 'latin1';
    if (purpose === 'discover') {
      redactor.discover(text, learnedFrom, view);
      continue;
    }
    const out = redactor.redact(text, counter, { fixedLength: true, view, learnedFrom });
    if (out === text) continue;
    const bytes = Buffer.from(out, loc.encoding === 'utf16le' ? 'utf16le' : 'latin1');
    if (bytes.length === b.length) patches.push({ offset: loc.offset, bytes });
  }
  return patches.sort((a, b) => a.offset - b.offset);
}

/** Learns identities from a dump (its strings, then every byte) before anything is redacted. */
export async function discoverDump(
  path: string,
  engine: ByteEngine,
  redactor: Redactor,
  learnedFrom: string,
  opts: {
    signal?: AbortSignal;
    onBytes?: (n: number) => void;
    stringsOnly?: boolean;
    /** Keep each window's spans for the scrub (scrubbedChunks with the same cache). */
    cache?: ScanCache;
  } = {},
): Promise<void> {
  const { md, size } = parse(path);
  const fh = await open(path, 'r');
  try {
    if (md) await redactStrings(fh, md, size, redactor, new HitCounter(), learnedFrom, 'discover');
    if (opts.stringsOnly) return;
    const rec = opts.cache?.begin(learnedFrom, fileStamp(await fh.stat({ bigint: true })), 'binary');
    for await (const w of windows(fh, size, opts.signal)) {
      if (!rec) engine.scan(w.buf, 'binary', 'discover', learnedFrom);
      else {
        // One scan that both learns and finds what the scrub will replace; only the spans
        // starting in this window's own chunk are the scrub's (it filters the same way).
        const version = engine.identities.version;
        const spans = engine.scan(w.buf, 'binary', 'both', learnedFrom);
        opts.cache!.put(rec, w.start, w.buf.length, version, inChunk(spans, w));
      }
      opts.onBytes?.(w.coreEnd - w.core);
    }
  } finally {
    await fh.close();
  }
}

/**
 * The file a CHUNK at a time: `buf` holds [start, end), the chunk [core, coreEnd) plus OVERLAP
 * either side. `buf` is the same block every time: it is only valid until the next window.
 */
async function* windows(
  fh: FileHandle,
  size: number,
  signal?: AbortSignal,
): AsyncGenerator<{ buf: Buffer; start: number; core: number; coreEnd: number }> {
  // One buffer for the whole pass: a fresh 8 MB per chunk is garbage the GC is slow to return.
  const block = Buffer.allocUnsafe(Math.max(1, Math.min(size, CHUNK + 2 * OVERLAP)));
  for (let core = 0; core < size; core += CHUNK) {
    signal?.throwIfAborted();
    const start = Math.max(0, core - OVERLAP);
    const end = Math.min(size, core + CHUNK + OVERLAP);
    const buf = await readInto(fh, block, start, end - start);
    yield { buf, start, core, coreEnd: Math.min(size, core + CHUNK) };
  }
}

async function readInto(fh: FileHandle, block: Buffer, pos: number, len: number): Promise<Buffer> {
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(block, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return block.subarray(0, got);
}

function applyPatches(buf: Buffer, bufStart: number, patches: Patch[]): void {
  const bufEnd = bufStart + buf.length;
  for (const p of patches) {
    const a = Math.max(p.offset, bufStart);
    const b = Math.min(p.offset + p.bytes.length, bufEnd);
    if (a < b) p.bytes.copy(buf, a - bufStart, a - p.offset, b - p.offset);
  }
}

/**
 * The string patches of a dump (layer 1), computed once before its bytes stream. `counter` gets
 * their hits; the byte scan (scrubbedChunks) counts its own.
 */
export async function planScrub(
  path: string,
  redactor: Redactor,
  counter: HitCounter,
  learnedFrom: string,
): Promise<ScrubPlan> {
  const { md, problems, size } = parse(path);
  let patches: Patch[] = [];
  if (md) {
    const fh = await open(path, 'r');
    try {
      patches = await redactStrings(fh, md, size, redactor, counter, learnedFrom, 'redact');
    } finally {
      await fh.close();
    }
  }
  return { path, size, parsed: md !== null, problems, patches };
}

/**
 * The scrubbed file, a chunk at a time (layers 1 and 2). With `countOnly` the chunks are not
 * patched (the preview only wants the counts) but still yielded for symmetry.
 */
export async function* scrubbedChunks(
  plan: ScrubPlan,
  engine: ByteEngine,
  redactor: Redactor,
  counter: HitCounter,
  learnedFrom: string,
  opts: {
    signal?: AbortSignal;
    onBytes?: (n: number) => void;
    countOnly?: boolean;
    /** The discovery pass's spans (discoverDump with the same cache), used where still valid. */
    cache?: ScanCache;
    /** Where each yielded chunk's bytes go (a pool the consumer returns them to); default fresh. */
    alloc?: (n: number) => Buffer;
  } = {},
): AsyncGenerator<Buffer> {
  const tokenOf = redactor.tokenOf.bind(redactor);
  const fh = await open(plan.path, 'r');
  try {
    const stamp = opts.cache ? fileStamp(await fh.stat({ bigint: true })) : '';
    // Patched bytes of a value that runs past a chunk's end, for the next chunk (re-read raw).
    let carry: Patch[] = [];
    for await (const { buf, start, core, coreEnd } of windows(fh, plan.size, opts.signal)) {
      // A window that no string patch or carry touches holds the bytes discovery scanned, so
      // its spans from there are this scan's (the cache checks file, window and identities).
      const raw = carry.length === 0 && !touches(plan.patches, start, start + buf.length);
      const cached = raw ? opts.cache?.take(learnedFrom, stamp, start, buf.length, buf) : null;
      applyPatches(buf, start, plan.patches);
      applyPatches(buf, start, carry);
      const spans = inChunk(raw && cached ? cached : engine.scan(buf, 'binary', 'redact', learnedFrom), {
        start,
        core,
        coreEnd,
      });
      carry = [];
      if (opts.countOnly) for (const x of mergeSpans(spans)) counter.add(x.ruleId);
      else if (spans.length) {
        engine.patch(buf, spans, counter, learnedFrom, tokenOf);
        for (const x of spans)
          if (x.end + start > coreEnd)
            carry.push({ offset: coreEnd, bytes: Buffer.from(buf.subarray(coreEnd - start, x.end)) });
      }
      opts.onBytes?.(coreEnd - core);
      // A copy: the consumer (deflate) may still hold a chunk when the block is read into again.
      const piece = buf.subarray(core - start, coreEnd - start);
      if (opts.countOnly) yield piece;
      else {
        const copy = opts.alloc?.(piece.length) ?? Buffer.allocUnsafe(piece.length);
        piece.copy(copy);
        yield copy;
      }
    }
  } finally {
    opts.cache?.drop(learnedFrom);
    await fh.close();
  }
}

/**
 * The spans (offsets within a window's buffer, which starts at `start` in the file) that start
 * in the window's own chunk [core, coreEnd): the overlap around it belongs to its neighbours.
 */
function inChunk<S extends { start: number }>(
  spans: S[],
  w: { start: number; core: number; coreEnd: number },
): S[] {
  return spans.filter((x) => x.start + w.start >= w.core && x.start + w.start < w.coreEnd);
}

/** Whether any patch overlaps [from, to). */
function touches(patches: Patch[], from: number, to: number): boolean {
  return patches.some((p) => p.offset < to && p.offset + p.bytes.length > from);
}

/**
 * A stacks-only copy of `src` at `dest` (layer 3), to scrub afterwards. Returns what was left
 * out; a dump that does not parse is copied unchanged.
 */
export async function stacksOnlyCopy(src: string, dest: string): Promise<SanitizeResult> {
  const first = parse(src);
  await copyFile(src, dest);
  const result: SanitizeResult = {
    parsed: first.md !== null,
    problems: [...first.problems],
    droppedRanges: 0,
    droppedBytes: 0,
    size: first.size,
  };
  if (!first.md) return result;
  const fh = await open(dest, 'r+');
  try {
    const d = await dropNonStackMemory(fh, first.md, first.size);
    result.droppedRanges = d.ranges;
    result.droppedBytes = d.bytes;
    result.size = d.size;
    if (d.problem) result.problems.push(d.problem);
  } finally {
    await fh.close();
  }
  return result;
}

/**
 * Writes the sanitized copy of `src` to `dest` (created or replaced). With `dest` null nothing
 * is written: the counter gets what would be replaced. Call discoverDump (and discover the
 * other files) first: only known identities are scrubbed.
 */
export async function sanitizeDump(
  src: string,
  dest: string | null,
  engine: ByteEngine,
  redactor: Redactor,
  counter: HitCounter,
  learnedFrom: string,
  opts: SanitizeOptions = {},
): Promise<SanitizeResult> {
  let from = src;
  let result: SanitizeResult | null = null;
  if (opts.stacksOnly && dest) {
    from = `${dest}.stacks`;
    result = await stacksOnlyCopy(src, from);
  }
  try {
    const plan = await planScrub(from, redactor, counter, learnedFrom);
    result ??= {
      parsed: plan.parsed,
      problems: plan.problems,
      droppedRanges: 0,
      droppedBytes: 0,
      size: plan.size,
    };
    const out = dest ? await open(dest, 'w') : null;
    try {
      let at = 0;
      for await (const chunk of scrubbedChunks(plan, engine, redactor, counter, learnedFrom, {
        signal: opts.signal,
        onBytes: opts.onBytes,
        countOnly: !dest,
      })) {
        if (out) await out.write(chunk, 0, chunk.length, at);
        at += chunk.length;
      }
    } finally {
      await out?.close();
    }
    return result;
  } finally {
    if (from !== src) await rm(from, { force: true });
  }
}

interface DropResult {
  ranges: number;
  bytes: number;
  size: number;
  problem?: string;
}

/** Keeps the memory of thread stacks (by descriptor, or the range holding each thread's SP). */
async function dropNonStackMemory(fh: FileHandle, md: Minidump, size: number): Promise<DropResult> {
  const stacks: { lo: bigint; hi: bigint }[] = [];
  for (const t of md.threads) {
    if (t.stackSize > 0) stacks.push({ lo: t.stackStart, hi: t.stackStart + BigInt(t.stackSize) });
    const sp = t.context?.sp;
    if (sp !== undefined) stacks.push({ lo: sp, hi: sp + 1n });
  }
  const sp = md.exception?.context?.sp;
  if (sp !== undefined) stacks.push({ lo: sp, hi: sp + 1n });
  const keep = (start: bigint, len: number) => stacks.some((s) => start < s.hi && start + BigInt(len) > s.lo);

  const res: DropResult = { ranges: 0, bytes: 0, size };
  let newSize = size;
  for (const s of md.streams) {
    if (s.type === 5) {
      const n = (await readAt(fh, s.offset, 4)).readUInt32LE(0);
      if (4 + n * 16 > s.size || s.offset + 4 + n * 16 > size) continue;
      const list = await readAt(fh, s.offset + 4, n * 16);
      const kept: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const d = list.subarray(i * 16, i * 16 + 16);
        const start = d.readBigUInt64LE(0);
        const len = d.readUInt32LE(8);
        const rva = d.readUInt32LE(12);
        if (keep(start, len)) kept.push(Buffer.from(d));
        else {
          // Unlisted and zeroed: nothing else points at these bytes.
          if (rva + len <= size) await zero(fh, rva, len);
          res.ranges++;
          res.bytes += len;
        }
      }
      const rewritten = Buffer.alloc(4 + n * 16);
      rewritten.writeUInt32LE(kept.length, 0);
      kept.forEach((d, i) => d.copy(rewritten, 4 + i * 16));
      await fh.write(rewritten, 0, rewritten.length, s.offset);
      await setStreamSize(fh, md, s, 4 + kept.length * 16);
    } else if (s.type === 9) {
      const r = await compactMemory64(fh, md, s, size, keep);
      res.ranges += r.ranges;
      res.bytes += r.bytes;
      newSize = r.size;
      if (r.problem) res.problem = r.problem;
    }
  }
  if (newSize < size) await fh.truncate(newSize);
  res.size = newSize;
  return res;
}

async function setStreamSize(fh: FileHandle, md: Minidump, s: StreamEntry, newSize: number): Promise<void> {
  const h = await readAt(fh, 0, 32);
  const dirRva = h.readUInt32LE(12);
  const i = md.streams.indexOf(s);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(newSize, 0);
  await fh.write(b, 0, 4, dirRva + i * 12 + 4);
}

/**
 * Memory64List data is one contiguous block at BaseRva, normally the file's tail. Kept ranges
 * are moved down over dropped ones and the file is cut; thread stack RVAs into the block are
 * updated. If anything else lives past BaseRva, dropped ranges are zeroed instead.
 */
async function compactMemory64(
  fh: FileHandle,
  md: Minidump,
  s: StreamEntry,
  size: number,
  keep: (start: bigint, len: number) => boolean,
): Promise<DropResult> {
  const res: DropResult = { ranges: 0, bytes: 0, size };
  const h = await readAt(fh, s.offset, 16);
  const n = Number(h.readBigUInt64LE(0));
  const base = Number(h.readBigUInt64LE(8));
  if (!Number.isSafeInteger(n) || 16 + n * 16 > s.size || !Number.isSafeInteger(base)) return res;
  const list = await readAt(fh, s.offset + 16, n * 16);
  const ranges: { start: bigint; len: number; rva: number; keep: boolean }[] = [];
  let rva = base;
  for (let i = 0; i < n; i++) {
    const start = list.readBigUInt64LE(i * 16);
    const len = Number(list.readBigUInt64LE(i * 16 + 8));
    if (!Number.isSafeInteger(len) || rva + len > size)
      return { ...res, problem: 'Memory64List runs past the file' };
    ranges.push({ start, len, rva, keep: keep(start, len) });
    rva += len;
  }
  const dataEnd = rva;
  const othersInTail = md.streams.some((o) => o !== s && o.size > 0 && o.offset + o.size > base);
  const threadRvas = md.threads.filter((t) => t.stackSize > 0 && t.stackRva >= base);
  if (othersInTail || dataEnd !== size) {
    for (const r of ranges)
      if (!r.keep) {
        await zero(fh, r.rva, r.len);
        res.ranges++;
        res.bytes += r.len;
      }
    return { ...res, problem: 'Memory64List is not the file tail: dropped memory was zeroed, not removed' };
  }
  let at = base;
  const moved = new Map<number, number>();
  const kept: typeof ranges = [];
  for (const r of ranges) {
    if (!r.keep) {
      res.ranges++;
      res.bytes += r.len;
      continue;
    }
    if (at !== r.rva) await moveDown(fh, r.rva, at, r.len);
    moved.set(r.rva, at);
    kept.push({ ...r, rva: at });
    at += r.len;
  }
  const rewritten = Buffer.alloc(16 + n * 16);
  rewritten.writeBigUInt64LE(BigInt(kept.length), 0);
  rewritten.writeBigUInt64LE(BigInt(base), 8);
  kept.forEach((r, i) => {
    rewritten.writeBigUInt64LE(r.start, 16 + i * 16);
    rewritten.writeBigUInt64LE(BigInt(r.len), 24 + i * 16);
  });
  await fh.write(rewritten, 0, rewritten.length, s.offset);
  await setStreamSize(fh, md, s, 16 + kept.length * 16);
  // Thread descriptors that point into the block follow their range (or lose their stack bytes).
  const threadList = md.streams.find((x) => x.type === 3);
  if (threadList)
    for (const t of threadRvas) {
      const old = ranges.find((r) => t.stackRva >= r.rva && t.stackRva < r.rva + r.len);
      const newBase = old ? moved.get(old.rva) : undefined;
      const desc = Buffer.alloc(8);
      if (old && newBase !== undefined) {
        desc.writeUInt32LE(t.stackSize, 0);
        desc.writeUInt32LE(newBase + (t.stackRva - old.rva), 4);
      }
      await fh.write(desc, 0, 8, threadList.offset + 4 + t.index * 48 + 32);
    }
  return { ...res, size: at };
}

async function zero(fh: FileHandle, at: number, len: number): Promise<void> {
  const z = Buffer.alloc(Math.min(len, CHUNK));
  for (let done = 0; done < len; done += z.length) {
    const n = Math.min(z.length, len - done);
    await fh.write(z, 0, n, at + done);
  }
}

async function moveDown(fh: FileHandle, from: number, to: number, len: number): Promise<void> {
  // Front to back is safe when the destination is lower than the source.
  for (let done = 0; done < len; done += CHUNK) {
    const n = Math.min(CHUNK, len - done);
    const b = await readAt(fh, from + done, n);
    await fh.write(b, 0, b.length, to + done);
  }
}
