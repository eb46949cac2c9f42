import type { Rule, RuleSetInfo } from '../../../shared/domain/rules';
import common from '../../../../resources/rules/common.json';
import fallout4 from '../../../../resources/rules/fallout4.json';
import skyrim from '../../../../resources/rules/skyrim.json';
import { compileRules, type CompiledRule } from './engine';

/**
 * The bundled rule files, loaded without zod. They ship with the build, so they are validated
 * when it is made (electron.vite.config.ts runs `loadRuleFile` on each: schema, regexes, unique
 * ids) and by the tests (test/unit/rules/bundled-trusted.test.ts, which also checks that
 * `trustedRuleFile` gives exactly what the schema gives), not on every start: zod plus ~240
 * rules through it cost more CPU than the analysis itself (issue 15). User rule files are
 * untrusted and always go through the schema (registry.ts).
 */

export const BUNDLED_RULE_FILES: readonly { name: string; json: unknown }[] = [
  { name: 'common.json', json: common },
  { name: 'skyrim.json', json: skyrim },
  { name: 'fallout4.json', json: fallout4 },
];

export interface ActiveRules {
  compiled: CompiledRule[];
  sets: RuleSetInfo[];
}

type RawRule = Omit<Rule, 'game' | 'aka' | 'tags'> & Partial<Pick<Rule, 'game' | 'aka' | 'tags'>>;

/** A bundled file as the schema would give it: the same object with the schema's defaults filled in. */
export function trustedRuleFile(json: unknown): { name: string; rules: Rule[] } {
  const f = json as { name: string; rules: RawRule[] };
  return {
    name: f.name,
    rules: f.rules.map((r) => ({ ...r, game: r.game ?? 'any', aka: r.aka ?? [], tags: r.tags ?? [] })),
  };
}

let bundledCache: { rules: Rule[]; sets: RuleSetInfo[] } | null = null;

export function bundledRules(): { rules: Rule[]; sets: RuleSetInfo[] } {
  if (bundledCache) return bundledCache;
  const rules: Rule[] = [];
  const sets: RuleSetInfo[] = [];
  for (const b of BUNDLED_RULE_FILES) {
    const f = trustedRuleFile(b.json);
    rules.push(...f.rules);
    sets.push({
      name: f.name,
      origin: 'bundled',
      path: `resources/rules/${b.name}`,
      rules: f.rules.length,
      error: null,
    });
  }
  bundledCache = { rules, sets };
  return bundledCache;
}

/** Bundled rules with user rules layered on top (same id: the user's wins). */
export function buildRuleSet(user: { rules: Rule[]; sets: RuleSetInfo[] } | null): ActiveRules {
  const b = bundledRules();
  const byId = new Map<string, Rule>();
  for (const r of b.rules) byId.set(r.id, r);
  for (const r of user?.rules ?? []) byId.set(r.id, r);
  return { compiled: compileRules([...byId.values()]), sets: [...b.sets, ...(user?.sets ?? [])] };
}

let bundledSet: ActiveRules | null = null;

/**
 * The bundled rules alone, compiled once (they are constants). What an analysis run without a
 * workbench uses: the CLI without --rules, tests, an analyzer called without an environment.
 */
export function bundledRuleSet(): ActiveRules {
  bundledSet ??= buildRuleSet(null);
  return bundledSet;
}
