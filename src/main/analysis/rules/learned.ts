import { createHash } from 'node:crypto';
import type { ConfirmedCause } from '../../../shared/domain/causes';
import {
  RULES_FORMAT,
  RULES_FORMAT_VERSION,
  type Condition,
  type Rule,
  type RuleFile,
} from '../../../shared/domain/rules';
import { culpritKeyOfName, culpritName } from '../signature/culprit';

/**
 * Confirmed causes as a rule file in the rules' own format (resources/rules/README.md), to share
 * with a modlist's users or propose upstream, and back: a rule whose condition is a `bucket`
 * and/or `culprit` test (alone or under any/all) is a confirmed cause when imported.
 */

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function ruleId(c: ConfirmedCause): string {
  const h = createHash('sha1')
    .update(`${c.bucket ?? ''}\u0000${c.culpritKey ?? ''}\u0000${c.cause}`)
    .digest('hex')
    .slice(0, 12);
  return `confirmed-${h}`;
}

export function ruleOfConfirmedCause(c: ConfirmedCause): Rule {
  const conditions: Condition[] = [];
  if (c.bucket) conditions.push({ bucket: c.bucket });
  if (c.culpritKey) conditions.push({ culprit: culpritName(c.culpritKey) });
  const when = c.incidentCapturedAt ?? c.confirmedAt;
  const subject = c.culpritKey ? ` The probable cause was ${culpritName(c.culpritKey)}.` : '';
  return {
    id: ruleId(c),
    game: 'any',
    severity: 'high',
    title: clip(`Confirmed: ${c.cause}`, 200),
    explanation: clip(
      `A player confirmed the cause of this crash: ${c.cause} (crash of ${when.slice(0, 10)}).${subject}`,
      4000,
    ),
    fix: clip(c.fix.trim() || 'No fix was recorded with the confirmation.', 4000),
    match: conditions.length === 1 ? conditions[0]! : { any: conditions },
    aka: [],
    tags: ['confirmed-cause', ...(c.fixed ? ['fixed'] : [])],
  };
}

export function confirmedCausesRuleFile(causes: readonly ConfirmedCause[], name: string): RuleFile {
  const seen = new Set<string>();
  const rules: Rule[] = [];
  for (const c of causes) {
    if (!c.bucket && !c.culpritKey) continue;
    const r = ruleOfConfirmedCause(c);
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    rules.push(r);
  }
  return {
    format: RULES_FORMAT,
    version: RULES_FORMAT_VERSION,
    name,
    description:
      'Causes confirmed with CTD Workbench: each rule matches the crash bucket and/or the probable culprit it was confirmed for (docs/SIGNATURES.md).',
    rules,
  };
}

/** The bucket and culprit a rule tests, when its condition is only such tests (any/all of them). */
export function learnedKeys(match: Condition): { bucket: string | null; culpritKey: string | null } | null {
  let bucket: string | null = null;
  let culpritKey: string | null = null;
  const walk = (c: Condition): boolean => {
    if ('any' in c) return c.any.every(walk);
    if ('all' in c) return c.all.every(walk);
    if ('bucket' in c) {
      bucket ??= c.bucket;
      return true;
    }
    if ('culprit' in c && typeof c.culprit === 'string') {
      culpritKey ??= culpritKeyOfName(c.culprit);
      return true;
    }
    return false;
  };
  if (!walk(match) || (!bucket && !culpritKey)) return null;
  return { bucket, culpritKey };
}
