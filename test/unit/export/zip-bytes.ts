import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

/**
 * A hand-written zip writer for hostile archives: it writes whatever names, flags, attributes
 * and sizes a test asks for, which no well-behaved library (yazl refuses "../") would produce.
 */
export interface RawEntry {
  name: string;
  data?: Buffer;
  method?: 0 | 8;
  flags?: number;
  /** External attributes (Unix mode << 16 for versionMadeBy 3). */
  attrs?: number;
  versionMadeBy?: number;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
  /** Point the central record at another entry's local header (overlap bomb). */
  localOffsetOf?: number;
  extra?: Buffer;
  /** Raw compressed bytes instead of compressing `data`. */
  compressed?: Buffer;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function buildZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const method = e.method ?? 8;
    const comp = e.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(e.name, 'utf8');
    const extra = e.extra ?? Buffer.alloc(0);
    const flags = (e.flags ?? 0) | 0x800;
    const size = e.declaredSize ?? data.length;
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(extra.length, 28);
    offsets.push(offset);
    const local = Buffer.concat([lh, name, extra, comp]);
    locals.push(local);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(e.versionMadeBy ?? (3 << 8) | 20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(extra.length, 30);
    ch.writeUInt32LE(e.attrs ?? (0o100644 << 16) >>> 0, 38);
    ch.writeUInt32LE(e.localOffsetOf !== undefined ? offsets[e.localOffsetOf]! : offset, 42);
    centrals.push(Buffer.concat([ch, name, extra]));
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A minimal valid bundle.json for the given files. */
export function manifestFor(
  files: { name: string; data: Buffer; role?: string }[],
  over: Record<string, unknown> = {},
): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: 'ctd-workbench-bundle',
      format_version: 1,
      app_version: '0.1.0',
      created_at: '2026-04-12T21:30:00.000Z',
      preset: 'public',
      redacted: true,
      incident: {
        kind: 'crash',
        capturedAt: '2026-04-12T21:30:00',
        source: 'skyrimdiag',
        title: 't',
        signature: null,
        verdict: null,
      },
      files: files.map((f) => ({
        name: f.name,
        role: f.role ?? 'log',
        size: f.data.length,
        sha256: createHash('sha256').update(f.data).digest('hex'),
        treatment: 'redacted-text',
      })),
      excluded: [],
      redaction: null,
      warnings: [],
      ...over,
    }),
  );
}
