import type { KeptLine, LogFlavor, LogPattern, LogPatternSummary } from '../../../shared/domain/logs';
import { FileSource, type ByteSource } from '../../formats/common/byte-source';
import { decodeBytes, type EncodingInfo, type TextEncoding } from '../../formats/common/text-encoding';
import type { LineInfo } from '../../formats/textlog/line-scanner';
import { LineMasker } from '../../formats/textlog/mask';
import { scanLines, sourceEncoding } from '../../formats/textlog/read-lines';
import { wallClockIso } from '../../formats/textlog/timestamps';
import { SEVERITY_BY_RANK, SEVERITY_RANK, severityOf, worstFirst } from './severity';

/**
 * Log pattern dedupe: one streamed pass over a text log groups its lines by signature
 * (formats/textlog/mask.ts) and keeps, per pattern, a count, the first/last line and log
 * timestamp, its worst severity and one example. Memory is bounded whatever the file:
 * at most `maxPatterns` patterns (later new ones are only counted, in `other`), the first
 * `maxLineBytes` of each line, and `keepFirst` + `keepLast` error/warning lines (read back
 * from the file at the end, so the pass itself copies no line text).
 *
 * Lines without a timestamp in a log that has them (Papyrus `stack:` frames, multi-line
 * messages) continue the entry above: they take its time and at least its severity.
 */
export interface DedupeOptions {
  maxPatterns?: number;
  /** Bytes of a line looked at; longer lines are counted in `longLines`. */
  maxLineBytes?: number;
  maxSignatureBytes?: number;
  keepFirst?: number;
  keepLast?: number;
  exampleChars?: number;
  /** Line-index checkpoints kept at most (their spacing doubles to stay under it). */
  maxCheckpoints?: number;
  encoding?: TextEncoding;
}

export const DEDUPE_DEFAULTS = {
  maxPatterns: 5000,
  maxLineBytes: 4096,
  maxSignatureBytes: 512,
  keepFirst: 100,
  keepLast: 100,
  exampleChars: 400,
  maxCheckpoints: 4096,
} as const;

/** Text of a kept line is capped at this many bytes when read back. */
const KEPT_TEXT_BYTES = 2000;

interface Acc {
  id: number;
  /** Signature bytes as 32-bit words (zero-padded) and their byte length: the exact key. */
  words: Int32Array;
  n: number;
  signature: string;
  /** Severity of the signature itself (its words); `rank` is the worst any of its lines had. */
  base: number;
  rank: number;
  count: number;
  firstLine: number;
  lastLine: number;
  firstTs: number;
  lastTs: number;
  example: string;
}

/** Error/warning lines to keep, as positions in the file (text is read back at the end). */
class KeptRing {
  readonly line: Float64Array;
  readonly offset: Float64Array;
  readonly length: Float64Array;
  readonly ts: Float64Array;
  readonly rank: Uint8Array;
  size = 0;
  /** Next slot to overwrite once full. */
  next = 0;
  constructor(readonly cap: number) {
    this.line = new Float64Array(cap);
    this.offset = new Float64Array(cap);
    this.length = new Float64Array(cap);
    this.ts = new Float64Array(cap);
    this.rank = new Uint8Array(cap);
  }
  /** Stores at the next slot; returns false when full and not a ring. */
  add(line: number, offset: number, length: number, rank: number, ts: number, ring: boolean): boolean {
    if (this.cap === 0) return false;
    let k: number;
    if (this.size < this.cap) k = this.size++;
    else if (ring) {
      k = this.next;
      this.next = (this.next + 1) % this.cap;
    } else return false;
    this.line[k] = line;
    this.offset[k] = offset;
    this.length[k] = length;
    this.ts[k] = ts;
    this.rank[k] = rank;
    return true;
  }
  /** Slots oldest first. */
  order(): number[] {
    const idx = Array.from({ length: this.size }, (_, i) => i);
    return this.size < this.cap ? idx : [...idx.slice(this.next), ...idx.slice(0, this.next)];
  }
}

export class LogDeduper {
  private readonly o: Required<Omit<DedupeOptions, 'encoding'>>;
  private readonly masker: LineMasker;
  /**
   * Open-addressing table from signature hash to pattern (index + 1; 0 = empty), at most half
   * full since patterns are capped: cheaper per line than a Map.
   */
  private readonly slotHash: Int32Array;
  private readonly slotAcc: Int32Array;
  private readonly slotMask: number;
  private readonly out32: Int32Array;
  private readonly acc: Acc[] = [];
  private lines = 0;
  private blank = 0;
  private longLines = 0;
  private longest = 0;
  private readonly sevLines = [0, 0, 0];
  private firstTs = NaN;
  private lastTs = NaN;
  private papyrusTs = 0;
  private isoTs = 0;
  private sawTs = false;
  private entryRank = 0;
  private entryTs = NaN;
  private other: {
    lines: number;
    errors: number;
    warnings: number;
    firstLine: number;
    lastLine: number;
  } | null = null;
  private readonly keptFirst: KeptRing;
  private readonly keptLast: KeptRing;
  private flagged = 0;
  private every = 1;
  /** Lines until the next checkpoint (a countdown instead of a modulo per line). */
  private untilCheckpoint = 1;
  private offsets: number[] = [];
  private readonly utf16: boolean;

  constructor(
    readonly encoding: EncodingInfo,
    opts: DedupeOptions = {},
  ) {
    this.o = { ...DEDUPE_DEFAULTS, ...stripUndefined(opts) };
    this.masker = new LineMasker(this.o.maxSignatureBytes, this.o.maxLineBytes);
    const out = this.masker.out;
    this.out32 = new Int32Array(out.buffer, out.byteOffset, out.length >> 2);
    this.utf16 = encoding.unit === 2;
    let slots = 1024;
    while (slots < this.o.maxPatterns * 2) slots *= 2;
    this.slotHash = new Int32Array(slots);
    this.slotAcc = new Int32Array(slots);
    this.slotMask = slots - 1;
    this.keptFirst = new KeptRing(this.o.keepFirst);
    this.keptLast = new KeptRing(this.o.keepLast);
  }

  get maxLineBytes(): number {
    return this.o.maxLineBytes;
  }

  /** Feeds one line (see LineScanner): `b[start, end)` holds its first bytes. */
  line(b: Buffer, start: number, end: number, info: LineInfo): void {
    const lineNo = info.line;
    this.lines++;
    if (--this.untilCheckpoint === 0) {
      this.offsets.push(info.offset);
      this.untilCheckpoint = this.every;
      if (this.offsets.length >= this.o.maxCheckpoints) {
        // Keep every other checkpoint: those at lines 1, 1 + 2·every, ...; the next is due at
        // 1 + offsets.length · every, that is every + 1 lines after the last one kept here.
        const lastDropped = this.offsets.length % 2 === 0;
        this.offsets = this.offsets.filter((_, i) => i % 2 === 0);
        this.untilCheckpoint = lastDropped ? this.every : 2 * this.every;
        this.every *= 2;
      }
    }
    if (info.truncated) this.longLines++;
    if (info.length > this.longest) this.longest = info.length;

    let mb: Uint8Array = b;
    let ms = start;
    let me = end;
    if (this.utf16) {
      // UTF-16 is rare: mask its UTF-8 transcoding instead of a second masker.
      mb = Buffer.from(decodeBytes(b, start, end, this.encoding.encoding), 'utf8');
      ms = 0;
      me = mb.length;
    }
    const m = this.masker;
    const n = m.mask(mb, ms, me);
    if (n === 0) {
      this.blank++;
      return;
    }
    const ts = m.ts;
    if (ts) {
      this.sawTs = true;
      if (ts.kind === 'papyrus') this.papyrusTs++;
      else this.isoTs++;
      if (!(this.firstTs <= ts.ms)) this.firstTs = ts.ms;
      if (!(this.lastTs >= ts.ms)) this.lastTs = ts.ms;
    }
    // The key is the signature bytes themselves, hashed a 32-bit word at a time: no string per line.
    const out = m.out;
    out[n] = 0;
    out[n + 1] = 0;
    out[n + 2] = 0;
    const words = (n + 3) >> 2;
    const w32 = this.out32;
    let h = n;
    for (let k = 0; k < words; k++) h = Math.imul(h ^ w32[k]!, 0x9e3779b1) ^ (h >>> 17);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    let slot = h & this.slotMask;
    let a: Acc | undefined;
    for (;;) {
      const v = this.slotAcc[slot]!;
      if (v === 0) break;
      if (this.slotHash[slot] === h) {
        const c = this.acc[v - 1]!;
        if (c.n === n) {
          const w = c.words;
          let k = 0;
          while (k < words && w[k] === w32[k]) k++;
          if (k === words) {
            a = c;
            break;
          }
        }
      }
      slot = (slot + 1) & this.slotMask;
    }
    // A known pattern's severity was worked out once, when it was new.
    const own = a ? a.base : SEVERITY_RANK[severityOf(out.toString('latin1', 0, n))];
    if (!a && this.acc.length < this.o.maxPatterns) {
      a = {
        id: this.acc.length,
        words: w32.slice(0, words),
        n,
        signature: this.decodeSignature(out, n),
        base: own,
        rank: own,
        count: 0,
        firstLine: lineNo,
        lastLine: lineNo,
        firstTs: NaN,
        lastTs: NaN,
        example: this.example(b, start, end, info.truncated),
      };
      this.acc.push(a);
      this.slotHash[slot] = h;
      this.slotAcc[slot] = this.acc.length;
    }

    let rank = own;
    let lineTs: number;
    if (ts) {
      this.entryRank = own;
      this.entryTs = ts.ms;
      lineTs = ts.ms;
    } else if (this.sawTs) {
      if (this.entryRank > rank) rank = this.entryRank;
      lineTs = this.entryTs;
    } else lineTs = NaN;

    if (a) {
      // A pattern is as severe as its worst line (a stack frame under an error is an error).
      if (rank > a.rank) a.rank = rank;
      a.count++;
      a.lastLine = lineNo;
      if (a.count === 1) a.firstTs = lineTs;
      a.lastTs = lineTs;
    } else {
      const o = (this.other ??= { lines: 0, errors: 0, warnings: 0, firstLine: lineNo, lastLine: lineNo });
      o.lines++;
      o.lastLine = lineNo;
      if (rank === 2) o.errors++;
      else if (rank === 1) o.warnings++;
    }
    this.sevLines[rank]!++;
    if (rank > 0) {
      this.flagged++;
      // The first keepFirst lines stay; after them a ring holds the newest keepLast.
      if (!this.keptFirst.add(lineNo, info.offset, info.length, rank, lineTs, false))
        this.keptLast.add(lineNo, info.offset, info.length, rank, lineTs, true);
    }
  }

  private decodeSignature(out: Buffer, n: number): string {
    if (this.utf16) return out.toString('utf8', 0, n);
    return decodeBytes(out, 0, n, this.encoding.encoding);
  }

  private example(b: Buffer, start: number, end: number, truncated: boolean): string {
    const max = this.o.exampleChars;
    // Enough bytes for `max` characters in any of our encodings (UTF-8 needs up to 4 per char).
    const bytes = Math.min(end - start, max * (this.utf16 ? 2 : 4));
    const text = decodeBytes(b, start, start + bytes, this.encoding.encoding).replace(/\s+$/, '');
    return text.length > max || truncated || bytes < end - start ? `${text.slice(0, max)}…` : text;
  }

  /** The summary; `src` is read again only for the kept error/warning lines. */
  finish(src: ByteSource, problems: string[] = []): LogPatternSummary {
    const patterns: LogPattern[] = this.acc
      .map((a) => ({
        id: a.id,
        signature: a.signature,
        severity: SEVERITY_BY_RANK[a.rank]!,
        count: a.count,
        firstLine: a.firstLine,
        lastLine: a.lastLine,
        firstTs: Number.isNaN(a.firstTs) ? null : wallClockIso(a.firstTs),
        lastTs: Number.isNaN(a.lastTs) ? null : wallClockIso(a.lastTs),
        example: a.example,
      }))
      .sort(worstFirst);
    const kept = [
      ...this.keptFirst.order().map((k) => this.readKept(src, this.keptFirst, k)),
      ...this.keptLast.order().map((k) => this.readKept(src, this.keptLast, k)),
    ];
    const flavor: LogFlavor =
      this.papyrusTs > 0 && this.papyrusTs >= this.isoTs
        ? 'papyrus'
        : this.isoTs > 0
          ? 'timestamped'
          : 'plain';
    return {
      version: 1,
      flavor,
      encoding: this.encoding.encoding,
      encodingReason: this.encoding.reason,
      bytes: src.size,
      lines: this.lines,
      blankLines: this.blank,
      longLines: this.longLines,
      longestLine: this.longest,
      maxLineBytes: this.o.maxLineBytes,
      severityLines: { error: this.sevLines[2]!, warning: this.sevLines[1]!, info: this.sevLines[0]! },
      firstTs: Number.isNaN(this.firstTs) ? null : wallClockIso(this.firstTs),
      lastTs: Number.isNaN(this.lastTs) ? null : wallClockIso(this.lastTs),
      patternCount: patterns.length,
      patternCap: this.o.maxPatterns,
      patterns,
      other: this.other,
      keptLines: kept,
      keptOmitted: this.flagged - kept.length,
      lineIndex: { every: this.every, offsets: this.offsets },
      problems,
    };
  }

  private readKept(src: ByteSource, r: KeptRing, k: number): KeptLine {
    const offset = r.offset[k]!;
    const length = r.length[k]!;
    const ts = r.ts[k]!;
    const len = Math.min(length, KEPT_TEXT_BYTES, Math.max(0, src.size - offset));
    let text = '';
    try {
      text = decodeBytes(src.read(offset, len, 'kept line'), 0, len, this.encoding.encoding);
    } catch {
      // The file shrank since the pass: the line number still points the way.
    }
    if (length > len) text += '…';
    return {
      line: r.line[k]!,
      severity: SEVERITY_BY_RANK[r.rank[k]!]!,
      ts: Number.isNaN(ts) ? null : wallClockIso(ts),
      text,
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Dedupes a whole text source in one streamed pass. */
export async function dedupeSource(src: ByteSource, opts: DedupeOptions = {}): Promise<LogPatternSummary> {
  const problems: string[] = [];
  const encoding = sourceEncoding(src, opts.encoding);
  const d = new LogDeduper(encoding, opts);
  if (encoding.unit === 2 && (src.size - encoding.bom) % 2 === 1)
    problems.push('UTF-16 text with an odd number of bytes: the last byte is ignored (file cut short?)');
  await scanLines(src, { encoding, maxLineBytes: d.maxLineBytes }, (b, s, e, info) => d.line(b, s, e, info));
  const summary = d.finish(src, problems);
  if (summary.longLines > 0)
    problems.push(
      `${summary.longLines} line(s) longer than ${summary.maxLineBytes} bytes (longest ${summary.longestLine}): patterns use their first bytes`,
    );
  if (summary.other)
    problems.push(
      `more than ${summary.patternCap} distinct patterns: ${summary.other.lines} later line(s) counted under "other"`,
    );
  return summary;
}

export async function dedupeFile(path: string, opts: DedupeOptions = {}): Promise<LogPatternSummary> {
  const src = new FileSource(path);
  try {
    return await dedupeSource(src, opts);
  } finally {
    src.close();
  }
}
