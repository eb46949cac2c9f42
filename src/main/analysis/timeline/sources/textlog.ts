import type { TimelineSource } from '../../../../shared/domain/timeline';
import { FileSource } from '../../../formats/common/byte-source';
import { decodeBytes } from '../../../formats/common/text-encoding';
import { CHUNK_BYTES, scanLines, sourceEncoding } from '../../../formats/textlog/read-lines';
import { parseLineTimestamp, type LineTimestamp } from '../../../formats/textlog/timestamps';
import { severityOf } from '../../logs/severity';
import { Nearest, type DraftEvent } from '../sink';
import type { TimelineArtifact } from './small';

/**
 * A text log (Papyrus, SKSE, SkyrimDiag's spdlog): every line with a timestamp at its start is an
 * event at that local wall-clock time. Streamed chunk by chunk with bounded memory: only the
 * positions of the lines nearest the incident are kept while reading, and just those lines are
 * read again for their text at the end.
 */

/** Longest line start looked at for a timestamp (a UTF-16 line is transcoded from this much). */
const STAMP_BYTES = 96;
/** Text shown per line. */
const TEXT_CHARS = 400;

interface Kept {
  line: number;
  offset: number;
  length: number;
  ms: number;
  stampBytes: number;
}

export interface CollectOptions {
  center: number;
  cap: number;
  onBytes?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Collected {
  drafts: DraftEvent[];
  seen: number;
  note: string | null;
  precision: string;
}

export async function collectTextLog(
  art: TimelineArtifact,
  source: TimelineSource,
  opts: CollectOptions,
): Promise<Collected> {
  const src = new FileSource(art.path);
  try {
    const enc = sourceEncoding(src);
    const keep = new Nearest<Kept>(opts.cap, opts.center);
    const scratch: LineTimestamp = { ms: 0, length: 0, kind: 'iso' };
    const ascii = Buffer.alloc(STAMP_BYTES);
    const wide = enc.unit === 2;
    const be = enc.encoding === 'utf-16be';
    let stampKind: LineTimestamp['kind'] | null = null;
    let lastReport = 0;
    await scanLines(src, { encoding: enc, maxLineBytes: 4096 }, (buf, start, end, info) => {
      let ts: LineTimestamp | null;
      if (wide) {
        // Timestamps are ASCII: take the low byte of each UTF-16 unit of the line's start.
        let n = 0;
        for (let i = start + (be ? 1 : 0); i < end && n < STAMP_BYTES; i += 2) ascii[n++] = buf[i]!;
        ts = parseLineTimestamp(ascii, 0, n, scratch);
      } else ts = parseLineTimestamp(buf, start, Math.min(end, start + STAMP_BYTES), scratch);
      if (ts) {
        stampKind ??= ts.kind;
        if (keep.wants(ts.ms))
          keep.add(ts.ms, {
            line: info.line,
            offset: info.offset,
            length: info.length,
            ms: ts.ms,
            stampBytes: ts.length * (wide ? 2 : 1),
          });
        else keep.skip();
      }
      if (info.offset - lastReport >= 8 * CHUNK_BYTES) {
        lastReport = info.offset;
        opts.onBytes?.(info.offset, src.size);
        if (opts.signal?.aborted) return false;
      }
      return true;
    });
    opts.onBytes?.(src.size, src.size);
    const kept = keep.values().sort((a, b) => a.offset - b.offset);
    const drafts: DraftEvent[] = [];
    for (const k of kept) {
      const len = Math.min(k.length, TEXT_CHARS * (wide ? 2 : 4));
      const raw = src.read(k.offset, len, 'line');
      const text = decodeBytes(raw, Math.min(k.stampBytes, raw.length), raw.length, enc.encoding)
        .replace(/^[\s:|-]+/, '')
        .slice(0, TEXT_CHARS);
      const sev = severityOf(text);
      drafts.push({
        wallMs: k.ms,
        source,
        kind: 'log-line',
        level: sev,
        text: text || '(empty line)',
        precision: stampKind === 'papyrus' ? 's' : 'ms',
        ref: { artifactId: art.id, role: art.role, line: k.line },
      });
    }
    return {
      drafts,
      seen: keep.seen,
      note: keep.seen === 0 ? 'no line starts with a timestamp' : null,
      precision:
        stampKind === 'papyrus'
          ? 'line timestamps, local wall clock to the second (Papyrus [MM/DD/YYYY - hh:mm:ssPM])'
          : 'line timestamps, local wall clock as written (a zone suffix is ignored)',
    };
  } finally {
    src.close();
  }
}
