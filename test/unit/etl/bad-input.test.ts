import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { openEtl } from '../../../src/main/formats/etl/reader';
import { xpressDecompress } from '../../../src/main/formats/etl/xpress';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { EtlWriter } from '../../helpers/etl-writer';
import { bufferStarts, mulberry32, mutateEtl } from '../../helpers/etl-mutate';
import { writeHangScenario } from '../../helpers/etl-scenario';
import { writeEventSourceTrace } from '../../helpers/etl-eventsource';

const session = (b: Buffer, name = 'case.etl') => EtlSession.fromSource(new BufferSource(b, name));
const codes = (s: EtlSession) => s.summary.problems.map((p) => p.code);

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('damaged and unusual traces (real fixtures, mutated in memory)', () => {
  const amsi = readFileSync(real('etl', 'AMSITrace.etl'));
  const selfDescribing = readFileSync(real('etl', 'SelfDescribingSingleEvent.etl'));

  it('a trace cut inside a buffer keeps the events of the complete buffers and reports the cut', () => {
    const starts = bufferStarts(amsi);
    const s = session(amsi.subarray(0, starts[3]! + 1000));
    expect(codes(s)).toContain('truncated_buffer');
    expect(s.summary.events).toBeGreaterThan(1);
    expect(s.summary.types.find((t) => t.event === 'AmsiScript')?.count).toBeGreaterThan(0);
  });

  it('a buffer with an impossible size is skipped and the rest resynchronises on the nominal size', () => {
    const b = Buffer.from(amsi);
    const starts = bufferStarts(amsi);
    b.writeUInt32LE(0, starts[2]!);
    const s = session(b);
    expect(codes(s)).toContain('bad_buffer_header');
    expect(s.trace.buffers.map((x) => x.index)).toEqual([0, 1, 3, 4, 5]);
    const whole = session(amsi).summary.events;
    expect(s.summary.events).toBeLessThan(whole);
    expect(s.summary.events).toBeGreaterThan(whole / 2);
  });

  it('a plain buffer flagged as compressed is reported, not fatal', () => {
    const b = Buffer.from(amsi);
    const at = bufferStarts(amsi)[1]!;
    b.writeUInt16LE(b.readUInt16LE(at + 0x34) | 0x40, at + 0x34);
    const s = session(b);
    expect(
      codes(s).some((c) => c === 'bad_compression' || c === 'short_compressed_buffer' || c === 'bad_record'),
    ).toBe(true);
    expect(s.summary.events).toBeGreaterThan(0);
  });

  it('damaged XPRESS data in a really compressed trace is reported per buffer', () => {
    const b = Buffer.from(selfDescribing);
    const at = bufferStarts(selfDescribing)[1]!;
    b.fill(0xff, at + 0x48, at + 0x60);
    const s = session(b);
    expect(s.summary.problemCount).toBeGreaterThan(0);
    expect(s.summary.header?.loggerName).toBe('Relogger');
  });

  it('a record with a broken marker ends its buffer only', () => {
    const b = Buffer.from(amsi);
    const at = bufferStarts(amsi)[1]!;
    b[at + 0x48 + 3] = 0x00;
    const s = session(b);
    expect(codes(s)).toContain('bad_record');
    expect(s.summary.events).toBeGreaterThan(1);
  });

  it('a file that is not a trace is a ParseError', () => {
    expect(() =>
      openEtl(new BufferSource(readFileSync(real('etl', 'AMSITrace.etl2xml.xml')), 'x.xml')),
    ).toThrow(ParseError);
    expect(() => openEtl(new BufferSource(Buffer.alloc(10), 'tiny.etl'))).toThrow(ParseError);
    expect(() => openEtl(new BufferSource(Buffer.alloc(70000), 'zeros.etl'))).toThrow(ParseError);
  });

  it('seeded fuzz: 1,500 mutated traces throw nothing but ParseError', () => {
    const seeds = [
      amsi,
      selfDescribing,
      readFileSync(real('etl', 'gcevents.etl')),
      readFileSync(real('etl', 'primitive-types.etl')),
      writeHangScenario().data,
      writeEventSourceTrace(),
    ];
    const rnd = mulberry32(20261201);
    const bad: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const input = mutateEtl(seeds[i % seeds.length]!, rnd);
      try {
        const s = session(input, `case-${i}`);
        const page = s.page({ typeIds: null, pid: null }, 0, 10);
        for (const r of page.rows) s.event(r.position);
      } catch (e) {
        if (!(e instanceof ParseError)) bad.push(`case ${i}: ${String(e)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('synthetic edge cases (no real file has them)', () => {
  it('events of a provider we know nothing about keep their raw payload', () => {
    const w = new EtlWriter({ cpus: 1 });
    w.event(
      0,
      { provider: '12345678-1234-1234-1234-123456789abc', id: 42, pid: 7, tid: 8, ts: w.ts(1) },
      Buffer.from('abcd'),
    );
    const s = session(w.finish(2));
    expect(s.summary.types.map((t) => `${t.provider}/${t.event}`)).toContain(
      '12345678-1234-1234-1234-123456789abc/EventID(42)',
    );
    const row = s.page(
      { typeIds: s.typeIdsFor('12345678-1234-1234-1234-123456789abc', null), pid: null },
      0,
      1,
    ).rows[0]!;
    const d = s.event(row.position)!;
    expect(d.decodedBy).toBe('raw');
    expect(d.recordHex.slice(d.payloadStart * 2)).toBe(Buffer.from('abcd').toString('hex'));
  });

  it('a buffer stream without a logfile header (real-time style) still reads, with a default clock', () => {
    const full = writeHangScenario().data;
    const s = session(full.subarray(65536));
    expect(codes(s)).toContain('no_logfile_header');
    expect(s.summary.header).toBeNull();
    expect(s.summary.events).toBeGreaterThan(2000);
    expect(s.summary.focusProcess?.name).toBe('SkyrimSE.exe');
  });

  it('XPRESS decoding never reads before its output or past its input', () => {
    expect(() => xpressDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10, 0x00]), 100)).toThrow(
      ParseError,
    );
    const lit = xpressDecompress(Buffer.from([0, 0, 0, 0, 65, 66, 67]), 3);
    expect(lit.toString()).toBe('ABC');
    // "A" then a match of distance 1, length 3+4: a run of eight A's.
    const run = xpressDecompress(Buffer.from([0x00, 0x00, 0x00, 0x40, 65, 0x04, 0x00]), 8);
    expect(run.toString()).toBe('AAAAAAAA');
  });
});
