import type { EtwField, EtwValue } from '../../../shared/domain/etw';
import { ParseError } from '../common/parse-error';
import { PayloadCursor, readScalar, sidAt, TlInType, TlOutType } from './tracelogging';

/**
 * A small description language for event layouts we know from public documentation (the
 * classic kernel MOF classes, the CLR runtime provider). Each field names a wire type; the
 * decoder walks the payload with the same bounds-checked cursor as TraceLogging.
 */
export type WireType =
  | 'u8'
  | 'i8'
  | 'u16'
  | 'i16'
  | 'u32'
  | 'i32'
  | 'u64'
  | 'i64'
  | 'x32'
  | 'x64'
  | 'ptr'
  /** Pointer-sized unsigned integer shown in decimal (SIZE_T counters). */
  | 'usize'
  | 'bool32'
  | 'f32'
  | 'f64'
  | 'guid'
  | 'wstr'
  | 'astr'
  | 'filetime'
  /** Kernel TOKEN_USER + SID (Process events): pointer-sized pair then the SID, or 4 zero bytes. */
  | 'ksid'
  /** The rest of the payload as an array of pointers (stack walk events). */
  | 'ptr[]'
  /** Raw bytes: length from `countFrom` (an earlier field) or `fixedLength`. */
  | 'bytes';

export interface FieldSpec {
  name: string;
  type: WireType;
  /** Value names (enum) or flag names (bit mask) for integer fields. */
  map?: Record<number, string>;
  flags?: boolean;
  /** Custom rendering of an integer (encodings a plain map cannot express). */
  format?: (v: number) => EtwValue;
  /** Element count is the value of this earlier field (arrays of structs/scalars). */
  countFrom?: string;
  /** Members of each array element (with countFrom). */
  members?: FieldSpec[];
  /** Hide from output (still consumed). */
  hidden?: boolean;
  /** Byte length of a 'bytes' field when it is a constant. */
  fixedLength?: number;
  /** Manifest value/bit map this field names (resolved into `map`). */
  mapName?: string;
}

export interface EventSchema {
  task: string;
  opcode: string;
  /** Fields by event version; the highest version not above the event's is used. */
  versions: Record<number, FieldSpec[]>;
  /** Extra fields computed from the decoded ones (documented per schema). */
  derive?: (fields: Map<string, EtwValue>) => EtwField[];
}

export function f(name: string, type: WireType, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, type, ...extra };
}

const TYPE_NAMES: Record<WireType, string> = {
  u8: 'UINT8',
  i8: 'INT8',
  u16: 'UINT16',
  i16: 'INT16',
  u32: 'UINT32',
  i32: 'INT32',
  u64: 'UINT64',
  i64: 'INT64',
  x32: 'HEXINT32',
  x64: 'HEXINT64',
  ptr: 'POINTER',
  usize: 'SIZET',
  bool32: 'BOOL32',
  f32: 'FLOAT',
  f64: 'DOUBLE',
  guid: 'GUID',
  wstr: 'UNICODESTRING',
  astr: 'ANSISTRING',
  filetime: 'FILETIME',
  ksid: 'SID',
  'ptr[]': 'POINTER[]',
  bytes: 'BINARY',
};

const TL_OF: Partial<Record<WireType, [number, number]>> = {
  u8: [TlInType.UInt8, 0],
  i8: [TlInType.Int8, 0],
  u16: [TlInType.UInt16, 0],
  i16: [TlInType.Int16, 0],
  u32: [TlInType.UInt32, 0],
  i32: [TlInType.Int32, 0],
  u64: [TlInType.UInt64, 0],
  i64: [TlInType.Int64, 0],
  x32: [TlInType.HexInt32, 0],
  x64: [TlInType.HexInt64, 0],
  ptr: [TlInType.Pointer, 0],
  bool32: [TlInType.Bool32, 0],
  f32: [TlInType.Float, 0],
  f64: [TlInType.Double, 0],
  guid: [TlInType.Guid, 0],
  wstr: [TlInType.UnicodeString, 0],
  astr: [TlInType.AnsiString, TlOutType.Utf8],
  filetime: [TlInType.FileTime, 0],
};

function mapValue(spec: FieldSpec, v: EtwValue): EtwValue {
  if (spec.format && typeof v === 'number') return spec.format(v);
  if (!spec.map || typeof v !== 'number') return v;
  if (!spec.flags) return spec.map[v] ?? v;
  if (v === 0) return spec.map[0] ?? 0;
  const names: string[] = [];
  let rest = v;
  for (const [bit, name] of Object.entries(spec.map)) {
    const b = Number(bit);
    if (b !== 0 && (v & b) === b) {
      names.push(name);
      rest &= ~b;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join(', ');
}

function readField(c: PayloadCursor, spec: FieldSpec, seen: Map<string, EtwValue>): EtwValue {
  if (spec.type === 'ksid') {
    c.need(4, spec.name);
    if (c.b.readUInt32LE(c.pos) === 0) {
      c.pos += 4;
      return null;
    }
    const token = c.pointerSize * 2;
    c.need(token + 8, spec.name);
    const s = sidAt(c.b, c.pos + token, c.end);
    if (!s)
      throw new ParseError(`bad SID in "${spec.name}"`, {
        field: spec.name,
        offset: c.pos,
        code: 'truncated',
      });
    c.pos += token + s.size;
    return s.text;
  }
  if (spec.type === 'ptr[]') {
    const out: EtwValue[] = [];
    while (c.left >= c.pointerSize && out.length < 4096)
      out.push(readScalar(c, TlInType.Pointer, 0, spec.name));
    return out;
  }
  if (spec.type === 'bytes') {
    const n = spec.countFrom ? seen.get(spec.countFrom) : spec.fixedLength;
    const len = typeof n === 'number' && n >= 0 ? n : 0;
    const at = c.take(len, spec.name);
    return c.b.toString('hex', at, at + len);
  }
  if (spec.countFrom) {
    const n = seen.get(spec.countFrom);
    const count = typeof n === 'number' ? n : 0;
    if (count > 65536)
      throw new ParseError(`array "${spec.name}" too long`, {
        field: spec.name,
        offset: c.pos,
        code: 'too_large',
      });
    const arr: EtwValue[] = [];
    for (let i = 0; i < count; i++) {
      if (spec.members) {
        const inner = new Map<string, EtwValue>();
        const obj: Record<string, EtwValue> = {};
        for (const m of spec.members) {
          const v = readField(c, m, inner);
          inner.set(m.name, v);
          obj[m.name] = mapValue(m, v);
        }
        arr.push(obj);
      } else arr.push(readOne(c, spec));
    }
    return arr;
  }
  return readOne(c, spec);
}

function readOne(c: PayloadCursor, spec: FieldSpec): EtwValue {
  if (spec.type === 'usize')
    return readScalar(c, c.pointerSize === 8 ? TlInType.UInt64 : TlInType.UInt32, 0, spec.name);
  const tl = TL_OF[spec.type];
  if (!tl) throw new ParseError(`no reader for ${spec.type}`, { field: spec.name, code: 'unknown_type' });
  return readScalar(c, tl[0], tl[1], spec.name);
}

export interface SchemaDecodeResult {
  fields: EtwField[];
  /** Payload bytes the schema did not describe (newer event versions append fields). */
  extraBytes: number;
  error: string | null;
}

/** Picks the layout for `version` (the highest described version not above it). */
export function layoutFor(schema: EventSchema, version: number): FieldSpec[] {
  let best = -1;
  for (const k of Object.keys(schema.versions)) {
    const v = Number(k);
    if (v <= version && v > best) best = v;
  }
  if (best < 0) best = Math.min(...Object.keys(schema.versions).map(Number));
  return schema.versions[best] ?? [];
}

export function decodeWithSchema(
  schema: EventSchema,
  version: number,
  b: Buffer,
  start: number,
  end: number,
  pointerSize: number,
): SchemaDecodeResult {
  const c = new PayloadCursor(b, start, end, pointerSize);
  const fields: EtwField[] = [];
  const seen = new Map<string, EtwValue>();
  let error: string | null = null;
  try {
    for (const spec of layoutFor(schema, version)) {
      const raw = readField(c, spec, seen);
      seen.set(spec.name, raw);
      if (!spec.hidden)
        fields.push({ name: spec.name, type: TYPE_NAMES[spec.type], value: mapValue(spec, raw) });
    }
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    error = e.message;
  }
  if (schema.derive && !error) fields.push(...schema.derive(seen));
  return { fields, extraBytes: c.left, error };
}
