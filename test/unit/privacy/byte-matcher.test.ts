import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteMatcher, FOLD, type BytePattern } from '../../../src/main/privacy/byte-matcher';
import { mulberry32 } from '../../helpers/prng';
import { crashLogFiles, frequentNeedles, randomBytes, randomPatterns } from './text-corpus';

/**
 * What one left-to-right pass reports, found the slow way: every (pattern, start) whose folded
 * bytes equal the text's, ordered by the match's last byte, then longest first (the output
 * chain), then pattern index (patterns with the same bytes).
 */
function reference(patterns: BytePattern<number>[], buf: Uint8Array, from: number, to: number): number[][] {
  const out: number[][] = [];
  patterns.forEach((p, pi) => {
    const n = p.bytes.length;
    if (n === 0) return;
    for (let s = from; s + n <= to; s++) {
      let k = 0;
      while (k < n && FOLD[buf[s + k]!] === FOLD[p.bytes[k]!]) k++;
      if (k === n) out.push([pi, s, n]);
    }
  });
  out.sort((a, b) => a[1]! + a[2]! - (b[1]! + b[2]!) || b[2]! - a[2]! || a[0]! - b[0]!);
  return out.map(([pi, s]) => [pi!, s!]);
}

function hits(m: ByteMatcher<number>, buf: Uint8Array, from: number, to: number): number[][] {
  const out: number[][] = [];
  m.scan(buf, from, to, (pi, s) => out.push([pi, s]));
  return out;
}

describe('ByteMatcher.scan', () => {
  // The scan runs as two interleaved passes above a few KB; these cases put matches on and
  // around the middle and the ends, with long and short patterns, and compare the exact order.
  it('reports every match, in one pass order, at any size and offset', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = mulberry32(seed);
      const patterns = randomPatterns(r, seed);
      const count = patterns.length - 1;
      // The first pattern once more in another case.
      patterns.push({
        bytes: Buffer.from(Buffer.from(patterns[0]!.bytes).toString('latin1').toUpperCase(), 'latin1'),
        data: count + 1,
      });
      const m = new ByteMatcher(patterns);
      const size = Math.floor(r() * (seed % 2 ? 70_000 : 9_000));
      const buf = randomBytes(r, size);
      // Plant a long pattern across the middle of the range.
      const from = Math.floor(r() * Math.min(size, 500));
      const to = size - Math.floor(r() * Math.min(size - from, 500));
      const long = patterns.reduce((a, p) => (p.bytes.length > a.bytes.length ? p : a));
      const mid = from + ((to - from) >> 1) - Math.floor(long.bytes.length / 2);
      if (mid >= from && mid + long.bytes.length <= to) buf.set(long.bytes, mid);
      expect(hits(m, buf, from, to), `seed ${seed}`).toEqual(reference(patterns, buf, from, to));
    }
  });

  it('matches the reference on real crash logs with the shipped redaction needles', () => {
    const patterns = frequentNeedles();
    const m = new ByteMatcher(patterns);
    let checked = 0;
    for (const f of crashLogFiles()) {
      const buf = readFileSync(f);
      expect(hits(m, buf, 0, buf.length), f).toEqual(reference(patterns, buf, 0, buf.length));
      checked += buf.length;
    }
    expect(checked).toBeGreaterThan(100_000);
  });

  // A guard drops a hit whose text `at` bytes before it starts before the buffer, or follows a
  // byte of its class; in the JS loops and in the kernel (above 64 KB) alike.
  it('drops exactly the hits their guard rules out', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = mulberry32(1000 + seed);
      const patterns: BytePattern<number>[] = [];
      for (let k = 0; k < 12; k++) {
        const notAfter = new Uint8Array(256);
        for (const b of randomBytes(r, 3)) notAfter[b] = 1;
        patterns.push({
          bytes: randomBytes(r, 1 + Math.floor(r() * 3)),
          data: k,
          guard:
            k % 3 === 0 ? undefined : { at: Math.floor(r() * 3), notAfter: k % 3 === 1 ? notAfter : null },
        });
      }
      const size = seed % 2 ? 5_000 : 150_000;
      const buf = randomBytes(r, size);
      const from = Math.floor(r() * 50);
      const to = size - Math.floor(r() * 50);
      const want = reference(patterns, buf, from, to).filter(([pi, s]) => {
        const g = patterns[pi!]!.guard;
        if (!g) return true;
        const q = s! - g.at;
        return q >= 0 && !(g.notAfter && q > 0 && g.notAfter[buf[q - 1]!]);
      });
      const unguarded = reference(patterns, buf, from, to);
      expect(want.length).toBeLessThan(unguarded.length);
      expect(hits(new ByteMatcher(patterns), buf, from, to), `seed ${seed}`).toEqual(want);
      expect(hits(new ByteMatcher(patterns, { kernel: false }), buf, from, to), `seed ${seed}`).toEqual(want);
    }
  });
});
