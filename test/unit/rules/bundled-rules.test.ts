import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { buildRuleSet } from '../../../src/main/analysis/rules/registry';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import type { LogSection } from '../../../src/shared/domain/rules';
import { CORPUS_DIR, readCorpus } from '../../corpus/corpus';
import { buildLog, type LogSpec } from '../../helpers/crashlog-builder';

/**
 * Every bundled rule says where its facts come from and has a test log (cases/<file>.json: a
 * minimal synthetic excerpt, raw text, or a real corpus log) that it must fire on. Where a
 * rule needs a log section, the same excerpt without that section must not fire it: a finding
 * never rests on a part the paste does not have.
 */

interface Case {
  rule: string;
  fires: boolean;
  log?: LogSpec;
  text?: string;
  corpus?: string;
}

const FILES = ['common', 'skyrim', 'fallout4'] as const;
const cases: Case[] = FILES.flatMap(
  (f) => (JSON.parse(readFileSync(join(__dirname, 'cases', `${f}.json`), 'utf8')) as { cases: Case[] }).cases,
);
const active = buildRuleSet(null);
const byId = new Map(active.compiled.map((c) => [c.rule.id, c]));
const corpusFile = new Map(readCorpus().map((e) => [e.id, join(CORPUS_DIR, e.file)]));

function textOf(c: Case): string | Buffer {
  if (c.log) return buildLog(c.log);
  if (c.text !== undefined) return c.text;
  const file = corpusFile.get(c.corpus ?? '');
  if (!file) throw new Error(`case for ${c.rule}: unknown corpus log ${c.corpus}`);
  return readFileSync(file);
}

/** Whether the rule fired; null when the log is not readable at all (a paste the parser refuses). */
function firesOn(id: string, text: string | Buffer): boolean | null {
  try {
    return analyzeCrashLogBuffer(text, 'crash.log', active).findings.some((f) => f.id === id);
  } catch (e) {
    if (e instanceof ParseError) return null;
    throw e;
  }
}

/** The spec keys that write each section. */
const KEYS: Record<LogSection, (keyof LogSpec)[]> = {
  exception: ['exception'],
  stack: ['frames'],
  registers: ['registers', 'stack'],
  objects: ['objects', 'registers', 'stack'],
  modules: ['modules', 'xse'],
  plugins: ['plugins'],
  settings: ['settings'],
  system: ['system'],
};

describe('bundled rules: sources and test logs', () => {
  it('every rule cites at least one source URL and has a case it must fire on', () => {
    const positive = new Set(cases.filter((c) => c.fires).map((c) => c.rule));
    const missing = active.compiled.filter((c) => !c.rule.sources?.length).map((c) => c.rule.id);
    expect(missing).toEqual([]);
    expect(active.compiled.map((c) => c.rule.id).filter((id) => !positive.has(id))).toEqual([]);
    expect(cases.filter((c) => !byId.has(c.rule)).map((c) => c.rule)).toEqual([]);
  });

  it('each case fires (or does not fire) its rule when run through the analyzer', () => {
    const wrong: string[] = [];
    const unreadable: string[] = [];
    const proven = new Set<string>();
    for (const c of cases) {
      const got = firesOn(c.rule, textOf(c));
      const where = c.corpus ? `corpus ${c.corpus}` : c.log ? 'excerpt' : 'text';
      // A real partial paste the parser cannot read yet is reported, not failed: the rule is
      // still proven by its other cases (checked below).
      if (got === null && c.corpus) unreadable.push(`${c.rule} (${where})`);
      else if (got !== c.fires)
        wrong.push(`${c.rule}: expected ${c.fires ? 'to fire' : 'no finding'} on ${where}`);
      else if (c.fires) proven.add(c.rule);
    }
    if (unreadable.length) console.log(`corpus logs the parser cannot read yet: ${unreadable.join(', ')}`);
    expect(wrong).toEqual([]);
    expect(active.compiled.map((c) => c.rule.id).filter((id) => !proven.has(id))).toEqual([]);
  });

  it('a rule does not fire when a section it needs is cut from its excerpt', () => {
    const wrong: string[] = [];
    for (const c of cases.filter((x) => x.fires && x.log)) {
      for (const section of byId.get(c.rule)?.requires ?? []) {
        const partial = Object.fromEntries(
          Object.entries(c.log!).filter(([k]) => !KEYS[section].includes(k as keyof LogSpec)),
        ) as LogSpec;
        if (firesOn(c.rule, buildLog(partial))) wrong.push(`${c.rule} fired without ${section}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('counts: Skyrim indicators and Fallout 4 load-order checks', () => {
    const rules = active.compiled.map((c) => c.rule);
    const skyrim = rules.filter((r) => r.game === 'skyrim' || r.game === 'any').length;
    const fo4LoadOrder = rules.filter((r) => r.game === 'fallout4' && r.tags.includes('load-order')).length;
    console.log(
      `rules: ${rules.length} in all; Skyrim SE/AE indicators ${skyrim} (${rules.filter((r) => r.game === 'skyrim').length} Skyrim-only + ${rules.filter((r) => r.game === 'any').length} common); Fallout 4 load-order/setup checks ${fo4LoadOrder}`,
    );
    expect(skyrim).toBeGreaterThanOrEqual(150);
    expect(fo4LoadOrder).toBeGreaterThanOrEqual(20);
  });
});
