import { describe, expect, it } from 'vitest';
import { caselessGate } from '../../../src/main/analysis/rules/engine';

/** The gate may let a text through in vain, but must never stop one whose lower-case copy holds the needle. */
describe('caselessGate', () => {
  const needles = [
    'c++ exception:',
    'a.b*c',
    'skse',
    'kernelbase.dll',
    'fix',
    'x-y',
    '[a]',
    'a\\b',
    '{1}',
    '^$|',
  ];
  it('admits every spelling whose lower-case copy holds the needle', () => {
    for (const n of needles) {
      const gate = caselessGate(n)!;
      const kelvin = n.replace(/k/g, '\u212a');
      const dotted = n.endsWith('i') ? `${n.slice(0, -1)}\u0130` : n;
      for (const t of [n, n.toUpperCase(), `before ${n} after`, kelvin, dotted]) {
        expect(t.toLowerCase().includes(n)).toBe(true);
        expect(gate.test(t), `${n} in ${t}`).toBe(true);
      }
    }
  });
  it('stops a text without the needle, and declines non-ASCII needles', () => {
    expect(caselessGate('c++ exception:')!.test('C+ EXCEPTION:')).toBe(false);
    expect(caselessGate('straße')).toBeNull();
  });
});
