import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteMatcher } from '../../../src/main/privacy/byte-matcher';
import { DfaKernel } from '../../../src/main/privacy/dfa-kernel';
import { mulberry32 } from '../../helpers/prng';
import { crashLogFiles, frequentNeedles, randomBytes, randomPatterns } from './text-corpus';

/**
 * The WebAssembly kernel against the JavaScript loop (which byte-matcher.test.ts checks against
 * a brute-force reference): the same hits in the same order, over chunk boundaries, at odd
 * offsets, with patterns long enough that each pass's warm-up matters.
 */
function hits(m: ByteMatcher<number>, buf: Uint8Array, from: number, to: number): number[] {
  const out: number[] = [];
  m.scan(buf, from, to, (pi, s) => out.push(pi, s));
  return out;
}

/** Filler: the patterns' letters among others, so hits are frequent but not on every byte. */
const FILLER = Buffer.from('abAB:+1.\u00c9\u00e9cdefghijklmnopqrstuvwxyz0123456789 \n\t\u00ff', 'latin1');

/** Index of the first difference (-1: none); toEqual on millions of numbers is too slow. */
function firstDifference(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const CHUNK = DfaKernel.CHUNK;

describe('DfaKernel', () => {
  it('reports what the JavaScript loop reports, in its order, across chunks and at any offset', () => {
    let total = 0;
    for (let seed = 1; seed <= 18; seed++) {
      const r = mulberry32(seed);
      const patterns = randomPatterns(r, seed);
      const kernel = new ByteMatcher(patterns);
      const loop = new ByteMatcher(patterns, { kernel: false });
      // Sizes around one, two and three chunks, and between the kernel's threshold and a chunk.
      const sizes = [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3, 3 * CHUNK - 2, 70_000 + seed * 9_001];
      const size = sizes[seed % sizes.length]! + Math.floor(r() * 4);
      const buf = randomBytes(r, size + 600, FILLER);
      const from = Math.floor(r() * 300);
      const to = Math.min(buf.length, from + size);
      // A long pattern across a chunk boundary and across each pass's start.
      const long = patterns.reduce((a, p) => (p.bytes.length > a.bytes.length ? p : a));
      for (const at of [from + CHUNK, from + ((to - from) >> 2), from + ((to - from) >> 1)]) {
        const p = at - Math.floor(long.bytes.length / 2);
        if (p >= from && p + long.bytes.length <= to) buf.set(long.bytes, p);
      }
      const want = hits(loop, buf, from, to);
      total += want.length / 2;
      expect(firstDifference(hits(kernel, buf, from, to), want), `seed ${seed}`).toBe(-1);
      expect(kernel.kernelInUse, `seed ${seed}`).toBe(true);
      expect(loop.kernelInUse).toBe(false);
    }
    expect(total).toBeGreaterThan(100_000);
  });

  it('gives the JavaScript loop’s hits on real crash logs with the shipped redaction needles', () => {
    const patterns = frequentNeedles();
    const files = crashLogFiles();
    const one = Buffer.concat(files.map((f) => readFileSync(f)));
    // Repeated past three chunks, so passes and chunks start in every kind of line.
    const buf = Buffer.concat(Array.from({ length: Math.ceil((3.5 * CHUNK) / one.length) }, () => one));
    const kernel = new ByteMatcher(patterns);
    const loop = new ByteMatcher(patterns, { kernel: false });
    for (const [from, to] of [
      [0, buf.length],
      [17, buf.length - 5],
      [CHUNK - 3, 2 * CHUNK + 11],
    ] as const) {
      const want = hits(loop, buf, from, to);
      expect(want.length).toBeGreaterThan(1000);
      expect(firstDifference(hits(kernel, buf, from, to), want)).toBe(-1);
    }
    expect(kernel.kernelInUse).toBe(true);
  });

  // Every kernel of a thread shares one memory: a table is copied in when another kernel used
  // it last; a scan from inside another scan's callback (after its hits are collected) takes it over.
  it('keeps each matcher’s own table when kernels take turns, and when a scan runs inside another’s callback', () => {
    const r = mulberry32(99);
    const buf = randomBytes(r, 3 * CHUNK, FILLER);
    const sets = [
      ['ab', 'a:b', '+1.'],
      ['ba', 'bb', 'cd', 'e1'],
      ['0123', ':+', 'zz'],
    ].map((ns) => ns.map((n, k) => ({ bytes: Buffer.from(n, 'latin1'), data: k })));
    const kernels = sets.map((p) => new ByteMatcher(p));
    const loops = sets.map((p) => new ByteMatcher(p, { kernel: false }));
    const want = loops.map((m) => hits(m, buf, 5, buf.length - 7));
    for (let round = 0; round < 2; round++)
      kernels.forEach((m, k) =>
        expect(firstDifference(hits(m, buf, 5, buf.length - 7), want[k]!), `set ${k}`).toBe(-1),
      );
    const inner: number[][] = [];
    const outer: number[] = [];
    kernels[0]!.scan(buf, 0, 2 * CHUNK, (pi, s) => {
      outer.push(pi, s);
      if (inner.length < 3) inner.push(hits(kernels[1]!, buf, s, s + 100_000));
    });
    expect(firstDifference(outer, hits(loops[0]!, buf, 0, 2 * CHUNK))).toBe(-1);
    for (const got of inner) expect(got.length).toBeGreaterThan(0);
    expect(inner[0]).toEqual(hits(loops[1]!, buf, outer[1] ?? 0, (outer[1] ?? 0) + 100_000));
  });
});
