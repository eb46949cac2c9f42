import { afterAll, describe, expect, it } from 'vitest';
import { ByteMatcher } from '../../../src/main/privacy/byte-matcher';
import { mulberry32 } from '../../helpers/prng';

/**
 * Should the WebAssembly function ever trap (a bug: every address it touches is inside the
 * memory its caller sized), the scan must still give every hit, once: the hits of the chunks
 * before the trap are dropped and the JS loop scans the range. This file has its own module
 * instance, so the thread's shared kernel here is the trapping one.
 */
type Instance = { exports: { run: (...args: number[]) => void } };
const api = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => Instance } })
  .WebAssembly;
const RealInstance = api.Instance;
let calls = 0;
api.Instance = function TrappingInstance(module: object, imports: object): Instance {
  const real = new RealInstance(module, imports);
  return {
    exports: {
      run: (...args: number[]) => {
        // The first chunk runs; the second traps, after the first's hits were delivered.
        if (++calls === 2) throw new Error('unreachable executed');
        real.exports.run(...args);
      },
    },
  };
} as unknown as typeof RealInstance;
afterAll(() => {
  api.Instance = RealInstance;
});

describe('DfaKernel trapping', () => {
  it('falls back to the JS loop with the same hits, and stays there', () => {
    const r = mulberry32(5);
    const buf = Buffer.from(
      Array.from({ length: 3 << 20 }, () => 'ab:+1.x \n'[Math.floor(r() * 9)]!).join(''),
      'latin1',
    );
    const patterns = ['ab', ':+', '1.', 'x x'].map((n, k) => ({ bytes: Buffer.from(n, 'latin1'), data: k }));
    const want: number[] = [];
    new ByteMatcher(patterns, { kernel: false }).scan(buf, 3, buf.length, (pi, s) => want.push(pi, s));
    const m = new ByteMatcher(patterns);
    const got: number[] = [];
    m.scan(buf, 3, buf.length, (pi, s) => got.push(pi, s));
    expect(calls).toBe(2);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    // Broken for the thread: later scans do not call it again.
    m.scan(buf, 0, 1 << 20, () => undefined);
    new ByteMatcher(patterns).scan(buf, 0, 1 << 20, () => undefined);
    expect(calls).toBe(2);
  });
});
