const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const cache = new Map<string, string>();

/** Registry-style GUID text of the 16 bytes at `off` (little-endian Data1..3, as Windows prints it). */
export function guidAt(b: Uint8Array, off: number): string {
  const h = (i: number) => HEX[b[off + i]!]!;
  return (
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
}

/** Same text, memoised: a trace repeats a handful of provider GUIDs millions of times. */
export function cachedGuidAt(b: Buffer, off: number): string {
  const key = b.toString('latin1', off, off + 16);
  let g = cache.get(key);
  if (g === undefined) {
    g = guidAt(b, off);
    if (cache.size > 4096) cache.clear();
    cache.set(key, g);
  }
  return g;
}

/** Inverse of guidAt, for writers and tests. */
export function guidBytes(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${text}`);
  const raw = Buffer.from(hex, 'hex');
  const out = Buffer.from(raw);
  out.writeUInt32LE(raw.readUInt32BE(0), 0);
  out.writeUInt16LE(raw.readUInt16BE(4), 4);
  out.writeUInt16LE(raw.readUInt16BE(6), 6);
  return out;
}
