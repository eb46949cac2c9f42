import type { EtwField, EtwValue } from '../../../shared/domain/etw';
import { ParseError } from '../common/parse-error';
import { guidAt } from './guid';
import { filetimeToIso, systemtimeToIso } from './time';
import { hex } from '../../../shared/text';

/**
 * TraceLogging self-describing events: the schema travels with each event in the
 * EVENT_SCHEMA_TL extended item. Layout per the public TraceLoggingProvider.h comments:
 *   u16 size, extension bytes (high bit = more), event name (UTF-8, NUL),
 *   then per field: name (NUL), u8 in-type (0x80 = out-type follows; 0x60 = count flags),
 *   [u8 out-type (0x80 = tag bytes follow)], [tag bytes], [u16 constant count], [custom type info].
 */

export const TlInType = {
  Null: 0,
  UnicodeString: 1,
  AnsiString: 2,
  Int8: 3,
  UInt8: 4,
  Int16: 5,
  UInt16: 6,
  Int32: 7,
  UInt32: 8,
  Int64: 9,
  UInt64: 10,
  Float: 11,
  Double: 12,
  Bool32: 13,
  Binary: 14,
  Guid: 15,
  Pointer: 16,
  FileTime: 17,
  SystemTime: 18,
  Sid: 19,
  HexInt32: 20,
  HexInt64: 21,
  CountedString: 22,
  CountedAnsiString: 23,
  Struct: 24,
  CountedBinary: 25,
} as const;

const IN_TYPE_NAMES = [
  'NULL',
  'UNICODESTRING',
  'ANSISTRING',
  'INT8',
  'UINT8',
  'INT16',
  'UINT16',
  'INT32',
  'UINT32',
  'INT64',
  'UINT64',
  'FLOAT',
  'DOUBLE',
  'BOOL32',
  'BINARY',
  'GUID',
  'POINTER',
  'FILETIME',
  'SYSTEMTIME',
  'SID',
  'HEXINT32',
  'HEXINT64',
  'COUNTEDSTRING',
  'COUNTEDANSISTRING',
  'STRUCT',
  'COUNTEDBINARY',
];

export const TlOutType = {
  Boolean: 3,
  Hex: 4,
  Pid: 5,
  Tid: 6,
  Port: 7,
  Ipv4: 8,
  Ipv6: 9,
  Win32Error: 13,
  NtStatus: 14,
  HResult: 15,
  String: 2,
  Utf8: 35,
  Json: 12,
  Xml: 11,
} as const;

export interface TlField {
  name: string;
  inType: number;
  outType: number;
  /** 'one' value, a 'const' count from the metadata, a 'var' count in the payload, or 'custom' serialized. */
  arity: 'one' | 'const' | 'var' | 'custom';
  count: number;
  /** For structs: how many of the following fields are members. */
  structFields: number;
  tag: number;
}

export interface TlSchema {
  name: string;
  fields: TlField[];
  /** Event tags from the extension bytes (first 28 bits). */
  tags: number;
}

function badMetadata(message: string, field: string, offset: number): ParseError {
  return new ParseError(message, { field, offset, code: 'bad_tl_metadata' });
}

function cstr(b: Buffer, off: number, end: number, field: string): { text: string; next: number } {
  const z = b.indexOf(0, off);
  if (z < 0 || z >= end) throw badMetadata('unterminated name in TraceLogging metadata', field, off);
  return { text: b.toString('utf8', off, z), next: z + 1 };
}

/** Reads the chained extension bytes (7 bits each, high bit = more) used for tags. */
function chain(b: Buffer, off: number, end: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let p = off;
  for (;;) {
    if (p >= end) throw badMetadata('truncated TraceLogging extension', 'tl.extension', p);
    const c = b[p++]!;
    if (shift < 28) value |= (c & 0x7f) << shift;
    shift += 7;
    if ((c & 0x80) === 0) break;
  }
  return { value: value >>> 0, next: p };
}

/** Parses the EVENT_SCHEMA_TL item data (`off`..`end`). */
export function parseTlSchema(b: Buffer, off: number, end: number): TlSchema {
  if (off + 2 > end) throw badMetadata('TraceLogging metadata too short', 'tl', off);
  const total = b.readUInt16LE(off);
  const stop = Math.min(end, off + Math.max(total, 2));
  const ext = chain(b, off + 2, stop);
  const name = cstr(b, ext.next, stop, 'tl.name');
  const fields: TlField[] = [];
  let p = name.next;
  while (p < stop) {
    if (fields.length >= 4096)
      throw new ParseError('too many TraceLogging fields', {
        field: 'tl.fields',
        offset: p,
        code: 'too_large',
      });
    const fname = cstr(b, p, stop, `tl.fields[${fields.length}].name`);
    p = fname.next;
    if (p >= stop) throw badMetadata('field without in-type', `tl.fields[${fields.length}]`, p);
    const inRaw = b[p++]!;
    let outType = 0;
    let tag = 0;
    if (inRaw & 0x80) {
      if (p >= stop) throw badMetadata('field without out-type', `tl.fields[${fields.length}]`, p);
      const outRaw = b[p++]!;
      outType = outRaw & 0x7f;
      if (outRaw & 0x80) {
        const t = chain(b, p, stop);
        tag = t.value;
        p = t.next;
      }
    }
    const flags = inRaw & 0x60;
    let arity: TlField['arity'] = 'one';
    let count = 1;
    if (flags === 0x20) {
      if (p + 2 > stop) throw badMetadata('missing constant count', fname.text, p);
      arity = 'const';
      count = b.readUInt16LE(p);
      p += 2;
    } else if (flags === 0x40) arity = 'var';
    else if (flags === 0x60) {
      if (p + 2 > stop) throw badMetadata('missing custom type info', fname.text, p);
      arity = 'custom';
      p += 2 + b.readUInt16LE(p);
    }
    const inType = inRaw & 0x1f;
    fields.push({
      name: fname.text,
      inType,
      outType,
      arity,
      count,
      structFields: inType === TlInType.Struct ? outType : 0,
      tag,
    });
  }
  return { name: name.text, fields, tags: ext.value & 0x0fffffff };
}

/** A bounds-checked payload cursor; running out of bytes is a ParseError the caller reports. */
export class PayloadCursor {
  constructor(
    readonly b: Buffer,
    public pos: number,
    readonly end: number,
    readonly pointerSize: number,
  ) {}
  need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end)
      throw new ParseError(`payload ends before field "${field}"`, {
        field,
        offset: this.pos,
        code: 'truncated',
      });
  }
  /** Checks that `n` bytes are left, steps over them and returns where they start. */
  take(n: number, field: string): number {
    this.need(n, field);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  get left(): number {
    return this.end - this.pos;
  }
}

function int64Value(b: Buffer, off: number, signed: boolean): number | string {
  const v = signed ? b.readBigInt64LE(off) : b.readBigUInt64LE(off);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

/** Text of a SID (S-1-5-21-...) at the cursor; returns its byte length too. */
export function sidAt(b: Buffer, off: number, end: number): { text: string; size: number } | null {
  if (off + 8 > end) return null;
  const rev = b[off]!;
  const subs = b[off + 1]!;
  const size = 8 + 4 * subs;
  if (subs > 15 || off + size > end) return null;
  const auth = b.readUIntBE(off + 2, 6);
  const parts = [`S-${rev}-${auth}`];
  for (let i = 0; i < subs; i++) parts.push(String(b.readUInt32LE(off + 8 + i * 4)));
  return { text: parts.join('-'), size };
}

/** Decodes one scalar of a TraceLogging/TDH in-type. */
export function readScalar(c: PayloadCursor, inType: number, outType: number, field: string): EtwValue {
  const b = c.b;
  const at = c.pos;
  switch (inType) {
    case TlInType.Null:
      return null;
    case TlInType.UnicodeString: {
      let p = at;
      while (p + 1 < c.end && (b[p] !== 0 || b[p + 1] !== 0)) p += 2;
      if (p + 1 >= c.end)
        throw new ParseError(`unterminated string "${field}"`, { field, offset: at, code: 'truncated' });
      c.pos = p + 2;
      return b.toString('utf16le', at, p);
    }
    case TlInType.AnsiString: {
      const z = b.indexOf(0, at);
      if (z < 0 || z >= c.end)
        throw new ParseError(`unterminated string "${field}"`, { field, offset: at, code: 'truncated' });
      c.pos = z + 1;
      return b.toString(outType === TlOutType.Utf8 ? 'utf8' : 'latin1', at, z);
    }
    case TlInType.Int8:
      c.take(1, field);
      return b.readInt8(at);
    case TlInType.UInt8: {
      c.take(1, field);
      const v = b[at]!;
      if (outType === TlOutType.Boolean) return v !== 0;
      if (outType === TlOutType.Hex) return hex(v);
      return v;
    }
    case TlInType.Int16:
      c.take(2, field);
      return b.readInt16LE(at);
    case TlInType.UInt16: {
      c.take(2, field);
      const v = b.readUInt16LE(at);
      if (outType === TlOutType.Hex) return hex(v);
      if (outType === TlOutType.Port) return (v >> 8) | ((v & 0xff) << 8);
      return v;
    }
    case TlInType.Int32:
      c.take(4, field);
      return outType === TlOutType.HResult ? hex(b.readUInt32LE(at)) : b.readInt32LE(at);
    case TlInType.UInt32:
    case TlInType.HexInt32: {
      c.take(4, field);
      const v = b.readUInt32LE(at);
      if (outType === TlOutType.Ipv4) return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
      if (outType === TlOutType.Boolean) return v !== 0;
      if (
        inType === TlInType.HexInt32 ||
        outType === TlOutType.Hex ||
        outType === TlOutType.NtStatus ||
        outType === TlOutType.HResult
      )
        return hex(v);
      return v;
    }
    case TlInType.Int64:
      c.take(8, field);
      return int64Value(b, at, true);
    case TlInType.UInt64:
    case TlInType.HexInt64:
      c.take(8, field);
      if (inType === TlInType.HexInt64 || outType === TlOutType.Hex) return hex(b.readBigUInt64LE(at));
      return int64Value(b, at, false);
    case TlInType.Float:
      c.take(4, field);
      return b.readFloatLE(at);
    case TlInType.Double:
      c.take(8, field);
      return b.readDoubleLE(at);
    case TlInType.Bool32:
      c.take(4, field);
      return b.readUInt32LE(at) !== 0;
    case TlInType.Binary:
    case TlInType.CountedBinary: {
      c.take(2, field);
      const n = b.readUInt16LE(at);
      c.take(n, field);
      if (outType === TlOutType.Ipv6 && n === 16) return ipv6(b, at + 2);
      return b.toString('hex', at + 2, at + 2 + n);
    }
    case TlInType.Guid:
      c.take(16, field);
      return guidAt(b, at);
    case TlInType.Pointer:
      c.take(c.pointerSize, field);
      return c.pointerSize === 8 ? hex(b.readBigUInt64LE(at)) : hex(b.readUInt32LE(at));
    case TlInType.FileTime:
      c.take(8, field);
      return filetimeToIso(b.readBigUInt64LE(at)) ?? hex(b.readBigUInt64LE(at));
    case TlInType.SystemTime:
      c.take(16, field);
      return systemtimeToIso(b, at);
    case TlInType.Sid: {
      const s = sidAt(b, at, c.end);
      if (!s) throw new ParseError(`bad SID "${field}"`, { field, offset: at, code: 'truncated' });
      c.pos += s.size;
      return s.text;
    }
    case TlInType.CountedString: {
      c.take(2, field);
      const n = b.readUInt16LE(at);
      c.take(n, field);
      return b.toString('utf16le', at + 2, at + 2 + (n & ~1));
    }
    case TlInType.CountedAnsiString: {
      c.take(2, field);
      const n = b.readUInt16LE(at);
      c.take(n, field);
      return b.toString(outType === TlOutType.Utf8 ? 'utf8' : 'latin1', at + 2, at + 2 + n);
    }
  }
  throw new ParseError(`unknown in-type ${inType} for "${field}"`, {
    field,
    offset: at,
    code: 'unknown_type',
  });
}

function ipv6(b: Buffer, off: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) parts.push(b.readUInt16BE(off + i * 2).toString(16));
  return parts.join(':');
}

/** Human name of an in-type (for the field table). */
export function inTypeName(t: number): string {
  return IN_TYPE_NAMES[t] ?? `INTYPE_${t}`;
}

/** Arrays of single bytes read better as the byte list the reference tools print. */
const MAX_ARRAY = 65536;

function decodeRange(
  schema: TlSchema,
  start: number,
  count: number,
  c: PayloadCursor,
  out: EtwField[],
): number {
  let i = start;
  for (let n = 0; n < count && i < schema.fields.length; n++) {
    const f = schema.fields[i]!;
    const next = i + 1 + (f.inType === TlInType.Struct ? countStructSpan(schema, i) : 0);
    let elems = 1;
    if (f.arity === 'const') elems = f.count;
    else if (f.arity === 'var') elems = c.b.readUInt16LE(c.take(2, f.name));
    else if (f.arity === 'custom') {
      const size = c.b.readUInt16LE(c.take(2, f.name));
      const at = c.take(size, f.name);
      out.push({ name: f.name, type: 'CUSTOM', value: c.b.toString('hex', at, at + size) });
      i = next;
      continue;
    }
    if (elems > MAX_ARRAY)
      throw new ParseError(`array "${f.name}" too long`, { field: f.name, offset: c.pos, code: 'too_large' });
    const one = (): EtwValue => {
      if (f.inType === TlInType.Struct) {
        const members: EtwField[] = [];
        decodeRange(schema, i + 1, f.structFields, c, members);
        return Object.fromEntries(members.map((m) => [m.name, m.value]));
      }
      return readScalar(c, f.inType, f.outType, f.name);
    };
    let value: EtwValue;
    if (f.arity === 'one') value = one();
    else {
      const arr: EtwValue[] = [];
      for (let k = 0; k < elems; k++) arr.push(one());
      value = arr;
    }
    out.push({
      name: f.name,
      type: f.arity === 'one' ? inTypeName(f.inType) : `${inTypeName(f.inType)}[]`,
      value,
    });
    i = next;
  }
  return i;
}

/** Number of schema entries a struct at `index` covers (its members, recursively). */
function countStructSpan(schema: TlSchema, index: number): number {
  const f = schema.fields[index]!;
  let span = 0;
  let j = index + 1;
  for (let n = 0; n < f.structFields && j < schema.fields.length; n++) {
    const inner = schema.fields[j]!.inType === TlInType.Struct ? countStructSpan(schema, j) : 0;
    span += 1 + inner;
    j += 1 + inner;
  }
  return span;
}

/** Decodes a payload against its TraceLogging schema (top-level fields, structs nested). */
export function decodeTlPayload(schema: TlSchema, c: PayloadCursor): EtwField[] {
  const out: EtwField[] = [];
  let i = 0;
  while (i < schema.fields.length) i = decodeRange(schema, i, 1, c, out);
  return out;
}
