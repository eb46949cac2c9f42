import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer, crashLogOutput } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { CORPUS_DIR } from '../../corpus/corpus';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * What the analyzer says about every real crash log and every corpus log, pinned: findings with
 * their evidence, both suspect lists, form ids, the probable cause and the verdict, plus a digest
 * of the parsed log and the index output. It guards refactors of the parsers and the rule engine
 * that must not change any answer. A deliberate change (a new or edited rule in resources/rules,
 * a model fix) updates it with `npx vitest run -u test/unit/crashlog/analysis-golden.test.ts`;
 * review the diff of the snapshot before committing it.
 */

const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

function summary(bytes: Buffer, name: string) {
  const a = analyzeCrashLogBuffer(bytes, name);
  const out = crashLogOutput(a);
  return {
    verdict: a.verdict,
    findings: a.findings.map((f) => ({ id: f.id, severity: f.severity, evidence: f.evidence })),
    suspects: a.suspects,
    formIds: a.formIds,
    culprits: a.culprits,
    probableCause: a.probableCause,
    missing: a.missing,
    parsed: digest(a.parsed),
    output: digest(out),
  };
}

/**
 * The real fixtures are third-party logs kept outside the repo, so their pin holds rule ids and
 * digests only, never text quoted from them.
 */
function digests(bytes: Buffer, name: string) {
  const { findings, ...rest } = summary(bytes, name);
  return {
    findings: findings.map((f) => f.id),
    ...Object.fromEntries(
      Object.entries({ evidence: findings, ...rest }).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : digest(v),
      ]),
    ),
  };
}

function logsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(log|txt)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

describe('crash-log analysis golden output', () => {
  it('corpus logs', async () => {
    const all: Record<string, unknown> = {};
    for (const f of logsIn(CORPUS_DIR)) all[f.slice(CORPUS_DIR.length + 1)] = summary(readFileSync(f), 'x');
    await expect(JSON.stringify(all, null, 1)).toMatchFileSnapshot('__golden__/corpus-analysis.json');
  });

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())('real fixture logs', async () => {
    const root = real('crashlogs');
    const all: Record<string, unknown> = {};
    for (const d of readdirSync(root).sort())
      for (const f of logsIn(join(root, d)))
        all[`${d}/${f.slice(join(root, d).length + 1)}`] = digests(readFileSync(f), 'x');
    await expect(JSON.stringify(all, null, 1)).toMatchFileSnapshot('__golden__/real-analysis.json');
  });
});
