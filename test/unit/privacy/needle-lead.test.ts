import { describe, expect, it } from 'vitest';
import { RedactionSession } from '../../../src/main/privacy/session';
import { compileRuleFile, defaultRules, RuleFileError, type RuleSet } from '../../../src/main/privacy/rules';
import { itFindsTheSameOnRealText } from './text-corpus';
import { mulberry32 } from '../../helpers/prng';

/**
 * needleLead only decides where a rule's regex starts trying in a text file; it must never
 * change what is found. Each text is scanned with the rules as shipped and with every lead
 * removed (the regex then tries every character of its windows): the spans must be equal. The
 * fuzz lines put values at the leads' limits (64-character e-mail local parts, `private_key`,
 * 16-character URL schemes, four backslashes before `home`), several to a line.
 */
function withLeads(set: RuleSet, lead: (id: string, lead: number | null) => number | null): RuleSet {
  return { names: set.names, rules: set.rules.map((r) => ({ ...r, needleLead: lead(r.id, r.needleLead) })) };
}

function spans(rules: RuleSet, buf: Buffer): string[] {
  const { engine } = new RedactionSession({ rules, local: [] });
  return engine
    .scan(buf, 'text', 'both', 'f')
    .map((s) => `${s.start}-${s.end} ${s.ruleId} ${s.value}`)
    .sort();
}

function fuzz(seed: number, lines: number): Buffer {
  const r = mulberry32(seed);
  const pick = (s: string) => s[Math.floor(r() * s.length)]!;
  const one = (xs: string[]) => xs[Math.floor(r() * xs.length)]!;
  const run = (chars: string, n: number) => Array.from({ length: n }, () => pick(chars)).join('');
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const local = () => pick(alnum) + run(`${alnum}._%+-`, Math.floor(r() * 70));
  const shapes: (() => string)[] = [
    () =>
      `${local()}${one(['@', '@', '%40'])}${run(alnum, 1 + Math.floor(r() * 8))}.${run('abcdefgh', 2 + Math.floor(r() * 3))}`,
    () => `${local()}@${run(alnum, 3)}.${run(alnum, 3)}.org`,
    () =>
      `${one(['password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'API-KEY', 'apikey', 'access_key', 'accesskey', 'auth-token', 'session_id', 'private_key', 'private-key', 'privatekey', 'credentials', 'cookie'])}${run(`${alnum}_.-`, Math.floor(r() * 50))}${one(['=', ': ', '="', " = '"])}${run(alnum, 1 + Math.floor(r() * 20))}`,
    () =>
      `${pick('abcdefghij')}${run('abcdefghij0123+.-', 1 + Math.floor(r() * 16))}://${run(alnum, 1 + Math.floor(r() * 9))}:${run(alnum, 1 + Math.floor(r() * 9))}@host`,
    () =>
      `${one([' ', '"', '=', '(', 'C:', 'x'])}${run('\\', 1 + Math.floor(r() * 5))}home${one(['\\', '/'])}${run(alnum, 1 + Math.floor(r() * 12))}${one(['\\', '/', ' ', '"'])}`,
    () => `/home/${run(alnum, 1 + Math.floor(r() * 10))}/`,
    () => run(`${alnum} :=@%/\\._-"'`, Math.floor(r() * 40)),
  ];
  let s = '';
  for (let i = 0; i < lines; i++) {
    const parts = 1 + Math.floor(r() * 4);
    for (let k = 0; k < parts; k++) s += shapes[Math.floor(r() * shapes.length)]!() + pick(' \t,;');
    s += '\n';
  }
  return Buffer.from(s, 'latin1');
}

describe('needleLead finds every match the whole-window pass finds', () => {
  const shipped = defaultRules();
  const plain = withLeads(shipped, () => null);

  it('the shipped rules with a lead are the ones measured to pay for it', () => {
    const led = shipped.rules.filter((r) => r.needleLead !== null).map((r) => r.id);
    expect(led.sort()).toEqual(['email', 'secret-kv', 'unix-home', 'url-credentials']);
  });

  it('fuzz lines at the leads’ limits: same spans; one character less loses values', () => {
    for (const seed of [1, 2, 3]) {
      const buf = fuzz(seed, 6_000);
      const want = spans(plain, buf);
      for (const id of ['email', 'secret-kv', 'unix-home', 'url-credentials'])
        expect(want.filter((w) => w.includes(` ${id} `)).length, id).toBeGreaterThan(50);
      expect(spans(shipped, buf)).toEqual(want);
      // Not vacuous: the text reaches the limit of the e-mail and key leads.
      for (const id of ['email', 'secret-kv']) {
        const short = withLeads(shipped, (rid, lead) => (rid === id && lead !== null ? lead - 1 : lead));
        expect(spans(short, buf), id).not.toEqual(want);
      }
    }
  });

  itFindsTheSameOnRealText(
    (b) => spans(shipped, b),
    (b) => spans(plain, b),
  );

  it('a rule file cannot give a lead to a rule with an anchor or without needles', () => {
    const file = (rule: object) => ({
      format: 'ctd-redaction-rules',
      version: 1,
      name: 'x',
      rules: [{ id: 'r1', description: 'd', category: 'user', pattern: '(?<v>a)', ...rule }],
    });
    expect(() => compileRuleFile(file({ anchor: 'a', needleLead: 2 }), 'f')).toThrow(RuleFileError);
    expect(() => compileRuleFile(file({ needles: ['a'], anchor: 'a', needleLead: 2 }), 'f')).toThrow(
      /needleLead/,
    );
    expect(compileRuleFile(file({ needles: ['a'], needleLead: 2 }), 'f').rules[0]!.needleLead).toBe(2);
  });
});
