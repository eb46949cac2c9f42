import { describe, expect, it } from 'vitest';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { ExtType } from '../../../src/main/formats/etl/constants';
import { guidBytes } from '../../../src/main/formats/etl/guid';
import { EtlWriter } from '../../helpers/etl-writer';

/**
 * SYNTHETIC TraceLogging events for the in/out types and extended items the real fixtures do
 * not carry (floats, counted strings, constant and variable arrays, arrays of structs, hex and
 * HRESULT out-types, stack traces, related activity id, SID, session id). Metadata follows the
 * layout documented in TraceLoggingProvider.h.
 */
const PROVIDER = '0b5c2f2e-6a7d-4f1b-9c1e-2d3c4b5a6978';

const tlField = (name: string, inType: number, outType?: number, count?: number) =>
  Buffer.concat([
    Buffer.from(`${name}\0`, 'utf8'),
    Buffer.from(outType === undefined ? [inType] : [inType | 0x80, outType]),
    count === undefined ? Buffer.alloc(0) : Buffer.from([count & 0xff, count >> 8]),
  ]);

function schema(name: string, fields: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from([0]), Buffer.from(`${name}\0`, 'utf8'), ...fields]);
  const size = Buffer.alloc(2);
  size.writeUInt16LE(body.length + 2);
  return Buffer.concat([size, body]);
}

function traits(name: string): Buffer {
  const n = Buffer.from(`${name}\0`, 'utf8');
  const size = Buffer.alloc(2);
  size.writeUInt16LE(n.length + 2);
  return Buffer.concat([size, n]);
}

function trace(): Buffer {
  const w = new EtlWriter({ cpus: 1 });
  const meta = schema('Frame', [
    tlField('fps', 11), // FLOAT
    tlField('ms', 12), // DOUBLE
    tlField('title', 22), // COUNTEDSTRING
    tlField('ids', 8 | 0x20, undefined, 3), // UINT32[3], constant count
    tlField('names', 2 | 0x40), // ANSISTRING[], variable count
    tlField('flags', 8, 4), // UINT32 as HEX
    tlField('hr', 7, 15), // INT32 as HRESULT
    tlField('pts', 24 | 0x40, 2), // struct[] of 2 fields
    tlField('x', 5), // INT16
    tlField('y', 5), // INT16
    tlField('ok', 13), // BOOL32
  ]);
  const p: Buffer[] = [];
  const f32 = Buffer.alloc(4);
  f32.writeFloatLE(59.5);
  const f64 = Buffer.alloc(8);
  f64.writeDoubleLE(16.75);
  const title = Buffer.from('Whiterun', 'utf16le');
  const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
  const u32 = (...v: number[]) => Buffer.concat(v.map((x) => Buffer.from(new Uint32Array([x]).buffer)));
  p.push(
    f32,
    f64,
    u16(title.length),
    title,
    u32(1, 2, 3),
    u16(2),
    Buffer.from('a\0bc\0'),
    u32(0xbeef),
    u32(0x80004005),
  );
  p.push(u16(2), Buffer.from(new Int16Array([1, -2, 3, -4]).buffer), u32(1));
  const stack = Buffer.alloc(8 + 16);
  stack.writeBigUInt64LE(7n, 0);
  stack.writeBigUInt64LE(0x7ffa30001234n, 8);
  stack.writeBigUInt64LE(0x140001000n, 16);
  const sid = Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0]);
  w.event(0, { provider: PROVIDER, id: 0, pid: 1000, tid: 1004, ts: w.ts(1) }, Buffer.concat(p), [
    { type: ExtType.RelatedActivityId, data: guidBytes('11111111-2222-3333-4444-555555555555') },
    { type: ExtType.Sid, data: sid },
    { type: ExtType.TsId, data: u32(1) },
    { type: ExtType.StackTrace64, data: stack },
    { type: ExtType.ProvTraits, data: traits('Skyrim.Renderer') },
    { type: ExtType.EventSchemaTl, data: meta },
  ]);
  return w.finish(2);
}

describe('TraceLogging types and extended items (synthetic)', () => {
  const s = EtlSession.fromSource(new BufferSource(trace(), 'tl.etl'));
  const row = s.page({ typeIds: s.typeIdsFor('Skyrim.Renderer', null), pid: null }, 0, 1).rows[0]!;
  const d = s.event(row.position)!;

  it('names the event from its metadata and the provider from its traits', () => {
    expect(`${row.provider}/${row.event}`).toBe('Skyrim.Renderer/Frame');
    expect(d.decodedBy).toBe('tracelogging');
  });

  it('decodes floats, counted strings, arrays, structs and out-types', () => {
    expect(Object.fromEntries(d.fields.map((f) => [f.name, f.value]))).toEqual({
      fps: 59.5,
      ms: 16.75,
      title: 'Whiterun',
      ids: [1, 2, 3],
      names: ['a', 'bc'],
      flags: '0xbeef',
      hr: '0x80004005',
      pts: [
        { x: 1, y: -2 },
        { x: 3, y: -4 },
      ],
      ok: true,
    });
    expect(d.notes).toEqual([]);
  });

  it('decodes the extended data items', () => {
    const ext = Object.fromEntries(d.extended.map((x) => [x.name, x.value]));
    expect(ext.RelatedActivityId).toBe('11111111-2222-3333-4444-555555555555');
    expect(ext.Sid).toBe('S-1-5-32-544');
    expect(ext.TsId).toBe(1);
    expect(ext.StackTrace64).toEqual({ matchId: '0x7', frames: ['0x7ffa30001234', '0x140001000'] });
    expect(ext.ProvTraits).toBe('Skyrim.Renderer');
  });
});
