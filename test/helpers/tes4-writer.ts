/**
 * Writes synthetic Bethesda plugins with the real TES4 header layout (24-byte record header,
 * HEDR/CNAM/SNAM/MAST+DATA subrecords, ESM/ESL flags), for tests that need plugins with master
 * dependencies: no real plugin files are in the fixtures (they are the mod authors' work).
 */
export interface Tes4Spec {
  masters?: string[];
  author?: string;
  description?: string;
  /** ESM flag. */
  master?: boolean;
  /** ESL flag. */
  light?: boolean;
  /** HEDR version: 1.70 (Skyrim SE), 1.71 (SE 1.6.1130+), 1.0 (Fallout 4). */
  version?: number;
  records?: number;
  /** Form version in the record header (44 Skyrim SE, 131 Fallout 4). */
  formVersion?: number;
  /** Oblivion's 20-byte record header. */
  oblivion?: boolean;
  /** A body record after the header, so the file is not only a header. */
  body?: boolean;
}

function sub(type: string, data: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h.write(type, 0, 'latin1');
  h.writeUInt16LE(data.length, 4);
  return Buffer.concat([h, data]);
}

function zstring(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);
}

export function tes4Plugin(spec: Tes4Spec = {}): Buffer {
  const hedr = Buffer.alloc(12);
  hedr.writeFloatLE(spec.version ?? 1.7, 0);
  hedr.writeInt32LE(spec.records ?? 1, 4);
  hedr.writeUInt32LE(0x800, 8);
  const parts = [sub('HEDR', hedr)];
  if (spec.author !== undefined) parts.push(sub('CNAM', zstring(spec.author)));
  if (spec.description !== undefined) parts.push(sub('SNAM', zstring(spec.description)));
  for (const m of spec.masters ?? []) {
    parts.push(sub('MAST', zstring(m)));
    parts.push(sub('DATA', Buffer.alloc(8)));
  }
  const data = Buffer.concat(parts);
  const headerSize = spec.oblivion ? 20 : 24;
  const head = Buffer.alloc(headerSize);
  head.write('TES4', 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  head.writeUInt32LE((spec.master ? 0x1 : 0) | (spec.light ? 0x200 : 0), 8);
  if (!spec.oblivion) head.writeUInt16LE(spec.formVersion ?? 44, 20);
  const out = [head, data];
  if (spec.body) {
    // One empty GRUP after the header, as a real plugin has.
    const grup = Buffer.alloc(24);
    grup.write('GRUP', 0, 'latin1');
    grup.writeUInt32LE(24, 4);
    grup.write('GMST', 8, 'latin1');
    out.push(grup);
  }
  return Buffer.concat(out);
}
