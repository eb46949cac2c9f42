import type { ByteEngine, ByteSpan, ScanMode } from './byte-engine';
import { IDENTITY_RULE_PREFIX } from './redactor';

/** A file's identity for the cache: the same path rewritten or replaced is another file. */
export function fileStamp(st: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/**
 * What a discovery pass found in each piece of a file (a text file's line-aligned pieces, a
 * dump's windows), kept for the redaction pass so a file is scanned once: a piece is taken from
 * here only when the file is unchanged (size, mtime, inode), the piece has the same offset and
 * length, and no identity was learned since it was scanned (its identity literals would be
 * missing); anything else is scanned again. Bounded: past `maxSpans` spans a file's pieces are
 * dropped and that file is scanned twice.
 */
export class ScanCache {
  private readonly files = new Map<string, CachedFile>();
  private held = 0;

  constructor(
    readonly engine: ByteEngine,
    readonly maxSpans = 100_000,
  ) {}

  /** Starts (or restarts) the record of one file. */
  begin(key: string, stamp: string, mode: ScanMode): CachedFile {
    this.drop(key);
    const f: CachedFile = { stamp, mode, pieces: new Map(), full: false };
    this.files.set(key, f);
    return f;
  }

  put(f: CachedFile, at: number, length: number, version: number, spans: ByteSpan[]): void {
    if (f.full) return;
    if (this.held + spans.length > this.maxSpans) {
      f.full = true;
      for (const p of f.pieces.values()) this.held -= p.spans.length;
      f.pieces.clear();
      return;
    }
    this.held += spans.length;
    // A value may be a slice of the piece's whole text, which it would keep alive: copy it.
    for (const s of spans) s.value = Buffer.from(s.value, 'utf16le').toString('utf16le');
    f.pieces.set(at, { length, version, spans });
  }

  /**
   * The spans of a piece of `bytes` (once: the entry is removed), or null when it must be
   * scanned again. When identities were learned since the piece was scanned, its rule spans
   * still hold and only the identity literals are looked for again, all of them.
   */
  take(key: string, stamp: string, at: number, length: number, bytes: Buffer): ByteSpan[] | null {
    const f = this.files.get(key);
    if (!f || f.stamp !== stamp) return null;
    const p = f.pieces.get(at);
    if (!p) return null;
    f.pieces.delete(at);
    this.held -= p.spans.length;
    if (p.length !== length) return null;
    if (p.version === this.engine.identities.version) return p.spans;
    const rules = p.spans.filter((s) => !s.ruleId.startsWith(IDENTITY_RULE_PREFIX));
    return [...rules, ...this.engine.scan(bytes, f.mode, 'literals', key)];
  }

  drop(key: string): void {
    const f = this.files.get(key);
    if (!f) return;
    for (const p of f.pieces.values()) this.held -= p.spans.length;
    this.files.delete(key);
  }
}

export interface CachedFile {
  stamp: string;
  /** How the pieces were scanned (a literal re-scan uses the same). */
  mode: ScanMode;
  pieces: Map<number, { length: number; version: number; spans: ByteSpan[] }>;
  full: boolean;
}
