import { describe, expect, it } from 'vitest';
import type { ByteSpan } from '../../../src/main/privacy/byte-engine';
import { HitCounter } from '../../../src/main/privacy/redactor';
import { RedactionSession } from '../../../src/main/privacy/session';
import { defaultRules, type RuleSet } from '../../../src/main/privacy/rules';
import { itFindsTheSameOnRealText } from './text-corpus';

/**
 * anchorTriggers only decide where an anchor is tried; they must never change what is found.
 * Each file is scanned with the built-in rules as shipped and with their triggers removed (the
 * anchors then run over the whole text, as before triggers existed): the spans must be equal.
 * The fuzz text is short lines of digits, hex and the anchors' punctuation, so nearly every line
 * holds an anchor match and a missed start would lose a value rather than hide in a neighbour's line.
 */

function withoutTriggers(set: RuleSet): RuleSet {
  return { names: set.names, rules: set.rules.map((r) => ({ ...r, anchorTriggers: null })) };
}

function spans(rules: RuleSet, buf: Buffer): string[] {
  const { engine } = new RedactionSession({ rules, local: [] });
  const all: ByteSpan[] = engine.scan(buf, 'text', 'both', 'f');
  return all.map((s) => `${s.start}-${s.end} ${s.ruleId} ${s.value}`).sort();
}

/** A seeded generator (mulberry32): the same fuzz text on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzz(seed: number, bytes: number): Buffer {
  const next = random(seed);
  const pick = (s: string) => s[Math.floor(next() * s.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => pick('0123456789')).join('');
  const hex = (n: number) => Array.from({ length: n }, () => pick('0123456789abcdefABCDEF')).join('');
  const octet = () => String(Math.floor(next() * 300));
  // Value-shaped pieces (made up, and often malformed on purpose) among random punctuation.
  const shapes: (() => string)[] = [
    () => [octet(), octet(), octet(), octet()].join(pick('..,')),
    () => `${hex(4)}:${hex(2)}::${hex(1 + Math.floor(next() * 4))}`,
    () => `${pick('f2')}${hex(3)}:${hex(3)}:${hex(4)}:${hex(2)}${pick(':g')}${hex(4)}`,
    () => `${digits(1)}::${hex(3)}`,
    () => Array.from({ length: 6 }, () => hex(2)).join(pick(':-')),
    () => `${hex(4)}.${hex(4)}.${hex(4)}`,
    () => `+${digits(1 + Math.floor(next() * 3))}${pick(' .-')}${digits(3)} ${digits(4)}`,
    () => `(${digits(3)})${pick(' ')}${digits(3)}${pick(' .-')}${digits(4)}`,
    () => `${digits(3)}.${digits(3)}.${digits(4)}`,
    () => `-${digits(3 + Math.floor(next() * 2))}-${digits(4)}`,
    () => `${pick('\'"')}${pick('2345')}${digits(12 + Math.floor(next() * 3))}`,
    () => [digits(4), digits(4), digits(4), digits(4)].join(pick(' -')),
    () =>
      Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
        pick('0123456789abcdefXZ:.-+ ()"\'_[]/\\\t'),
      ).join(''),
  ];
  let s = '';
  while (s.length < bytes) {
    const parts = 1 + Math.floor(next() * 4);
    for (let i = 0; i < parts; i++) s += shapes[Math.floor(next() * shapes.length)]!();
    s += next() < 0.8 ? '\n' : next() < 0.5 ? '\r\n' : '';
  }
  return Buffer.from(s, 'latin1');
}

describe('anchor triggers find every anchor match the whole-text pass finds', () => {
  const shipped = defaultRules();
  const plain = withoutTriggers(shipped);
  const mixed: RuleSet = {
    names: shipped.names,
    rules: shipped.rules.map((r) =>
      r.id === 'ipv4' || r.id === 'phone' ? { ...r, anchorTriggers: null } : r,
    ),
  };

  it('the anchored built-in rules all have triggers', () => {
    const anchored = shipped.rules.filter((r) => r.anchor);
    expect(anchored.length).toBeGreaterThan(0);
    for (const r of anchored) expect(r.anchorTriggers, r.id).not.toBeNull();
  });

  it('fuzz text of digits, hex and punctuation: same spans', () => {
    for (const seed of [1, 2, 3, 4]) {
      const buf = fuzz(seed, 300_000);
      const want = spans(plain, buf);
      // Not vacuous: the anchored rules find plenty in this text.
      for (const id of ['ipv4', 'ipv6', 'mac-address', 'phone'])
        expect(want.filter((w) => w.includes(` ${id} `)).length, id).toBeGreaterThan(20);
      expect(spans(shipped, buf)).toEqual(want);
      // A user rule with an anchor but no triggers beside built-in ones with triggers.
      expect(spans(mixed, buf)).toEqual(want);
    }
  });

  itFindsTheSameOnRealText(
    (b) => spans(shipped, b),
    (b) => spans(plain, b),
  );
});

describe('rewriteParts', () => {
  it('joins to exactly what rewrite makes, with long unchanged runs left as views', () => {
    const { engine, tokenOf } = new RedactionSession({ rules: defaultRules(), local: [] });
    // Made-up addresses far apart and close together, so runs both above and below the view size occur.
    const line = (i: number) => `frame ${i} from 10.1.${i % 200}.${(i * 7) % 250} ok\n`;
    const text = Array.from({ length: 20_000 }, (_, i) =>
      i % 997 === 0 || i % 1000 < 3 ? line(i) : `frame ${i} quiet\n`,
    ).join('');
    const buf = Buffer.from(text, 'latin1');
    const found = engine.scan(buf, 'text', 'redact', 'f');
    expect(found.length).toBeGreaterThan(20);
    const joined = Buffer.concat(engine.rewriteParts(buf, found, new HitCounter(), 'f', tokenOf));
    expect(joined.equals(engine.rewrite(buf, found, new HitCounter(), 'f', tokenOf))).toBe(true);
    const parts = engine.rewriteParts(buf, found, new HitCounter(), 'f', tokenOf);
    expect(parts.some((p) => p.buffer === buf.buffer)).toBe(true);
  });
});
