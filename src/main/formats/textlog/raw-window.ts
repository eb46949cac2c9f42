import type { ByteSource } from '../common/byte-source';
import { decodeBytes, type EncodingInfo } from '../common/text-encoding';
import { scanLines } from './read-lines';

export interface LineIndex {
  /** offsets[k] is the byte offset of line k * every + 1. */
  every: number;
  offsets: readonly number[];
}

export interface RawWindow {
  fromLine: number;
  /** Last line included (fromLine - 1 when the window is empty: past the end). */
  toLine: number;
  text: string;
  /** Lines in the window cut to maxLineChars (a 10 MB line must not reach the editor whole). */
  longLines: number;
  /** True when the window reaches the end of the file. */
  eof: boolean;
}

export interface RawLimits {
  maxLines: number;
  maxLineChars: number;
  maxBytes: number;
}

export const RAW_LIMITS: Readonly<RawLimits> = {
  maxLines: 5000,
  maxLineChars: 4000,
  maxBytes: 4 * 1024 * 1024,
};

/**
 * Lines [fromLine, fromLine + count) of a text source, decoded. Seeks to the nearest
 * line-index checkpoint at or before `fromLine` (so a window deep into a 1 GB log reads at
 * most `every` lines it does not return) and stops at `maxBytes` of text.
 */
export async function readRawWindow(
  src: ByteSource,
  encoding: EncodingInfo,
  index: LineIndex | null,
  fromLine: number,
  count: number,
  limits: Partial<RawLimits> = {},
): Promise<RawWindow> {
  const maxLines = Math.min(count, limits.maxLines ?? RAW_LIMITS.maxLines);
  const maxLineChars = limits.maxLineChars ?? RAW_LIMITS.maxLineChars;
  const maxBytes = limits.maxBytes ?? RAW_LIMITS.maxBytes;
  let startOffset = encoding.bom;
  let startLine = 1;
  if (index && index.offsets.length > 0 && index.every >= 1) {
    const k = Math.min(Math.floor((fromLine - 1) / index.every), index.offsets.length - 1);
    const off = index.offsets[k]!;
    if (off >= encoding.bom && off <= src.size) {
      startOffset = off;
      startLine = k * index.every + 1;
    }
  }
  const parts: string[] = [];
  let bytes = 0;
  let longLines = 0;
  let last = fromLine - 1;
  let stopped = false;
  const perLine = maxLineChars * (encoding.unit === 2 ? 2 : 4);
  await scanLines(src, { encoding, maxLineBytes: perLine, startOffset, startLine }, (b, s, e, info) => {
    if (info.line < fromLine) return true;
    let text = decodeBytes(b, s, e, encoding.encoding);
    if (info.truncated || text.length > maxLineChars) {
      longLines++;
      text = `${text.slice(0, maxLineChars)} … [line cut: ${info.length.toLocaleString('en-US')} bytes]`;
    }
    parts.push(text);
    bytes += text.length;
    last = info.line;
    if (parts.length >= maxLines || bytes >= maxBytes) {
      stopped = true;
      return false;
    }
    return true;
  });
  return { fromLine, toLine: last, text: parts.join('\n'), longLines, eof: !stopped };
}
