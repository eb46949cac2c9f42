import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeIncidentCause } from '../../../src/main/analysis/cause/merge';
import { analyzeCrashLogBuffer, crashLogOutput } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { Verdict } from '../../../src/shared/domain/incident';
import { CORPUS_DIR, CorpusEntry, readCorpus } from '../../corpus/corpus';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * The real-world corpus (test/corpus/crashlogs, see PROVENANCE.md there): for every log whose
 * public thread established the culprit, is that culprit among the analyzer's top 3 suspects?
 * Prints the hit rate on the dev split, the holdout split and overall, and a table of misses.
 *
 * The bar is 90% overall (CTD_CORPUS_TOP3=report prints the figures without enforcing it, for
 * tuning runs).
 */

const BAR = 0.9;
const enforce = process.env.CTD_CORPUS_TOP3 !== 'report';

interface Outcome {
  entry: CorpusEntry;
  top3: string[];
  hit: boolean;
  error: string | null;
}

/**
 * The verdict a player sees: the analyzer's, then the incident-level merge the list and Overview
 * show (for a lone crash log it must say the same; checked below).
 */
function verdictOf(file: string, name: string): Verdict {
  const out = crashLogOutput(analyzeCrashLogBuffer(readFileSync(file), name));
  // Parsed, so the defaults (empty suspects, no probable cause) are filled in.
  const v = Verdict.parse(out.verdict);
  const merged = mergeIncidentCause(v, [out], 'crash')!;
  if (merged.probableCause?.headline !== v.probableCause?.headline)
    throw new Error(`the incident merge changed the headline of ${name}: ${merged.probableCause?.headline}`);
  return merged;
}

function top3Of(file: string, name: string): string[] {
  const v = verdictOf(file, name);
  const names = v.suspects.map((s) => s.name);
  const subject = v.probableCause?.subject;
  // The probable cause is the player's first answer; count it as the first suspect.
  if (subject && !names.some((n) => n.toLowerCase() === subject.toLowerCase())) names.unshift(subject);
  return names.slice(0, 3);
}

function evaluate(e: CorpusEntry): Outcome {
  const want = new Set(e.culprit.files.map((f) => f.toLowerCase()));
  try {
    const top3 = top3Of(join(CORPUS_DIR, e.file), e.file);
    return { entry: e, top3, hit: top3.some((n) => want.has(n.toLowerCase())), error: null };
  } catch (err) {
    return { entry: e, top3: [], hit: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function rate(xs: Outcome[]): string {
  if (xs.length === 0) return 'n/a (0 logs)';
  const hits = xs.filter((x) => x.hit).length;
  return `${hits}/${xs.length} = ${((100 * hits) / xs.length).toFixed(1)}%`;
}

describe('real-world corpus: established culprit in our top 3', () => {
  const entries = readCorpus();
  const outcomes = entries.map(evaluate);

  it('prints the top-3 hit rate on dev, holdout and overall, and every miss', () => {
    const dev = outcomes.filter((o) => o.entry.split === 'dev');
    const holdout = outcomes.filter((o) => o.entry.split === 'holdout');
    const misses = outcomes.filter((o) => !o.hit);
    // Every game the schema knows gets a figure, so a game with no logs yet reads "n/a (0 logs)"
    // instead of silently dropping out of the report.
    const perGame = CorpusEntry.shape.game.options
      .map((g) => `${g} ${rate(outcomes.filter((o) => o.entry.game === g))}`)
      .join('  ');
    const lines = [
      `top-3 hit rate  dev ${rate(dev)}  holdout ${rate(holdout)}  overall ${rate(outcomes)}  (bar ${BAR * 100}%${enforce ? ', enforced' : ', not enforced (CTD_CORPUS_TOP3=report)'})`,
      `per game  ${perGame}`,
      ...(misses.length ? ['misses:', '  id | split | expected | our top 3'] : []),
      ...misses.map(
        (m) =>
          `  ${m.entry.id} | ${m.entry.split} | ${m.entry.culprit.files.join(' or ')} | ${m.error ? `error: ${m.error}` : m.top3.join(', ') || '(no suspects)'}`,
      ),
    ];
    console.log(lines.join('\n'));
    expect(outcomes.length).toBe(entries.length);
    if (enforce) expect(outcomes.filter((o) => o.hit).length / outcomes.length).toBeGreaterThanOrEqual(BAR);
  });
});

/**
 * The shared fixtures' Skyrim examples (crashlogs/skyrim-nsf-nolvus, from Phostwood's analyzer)
 * are named by their publisher after what they show. Those names are the publisher's reading,
 * not a cause a thread established, so they are printed on their own line and never mixed into
 * the corpus figure. The Buffout 4 fixtures carry only CLASSIC's autoscan (another analyzer's
 * reading, compared in test/unit/crashlog/classic-agreement.test.ts), so they are not counted here.
 */
const LABELLED: { file: string; files?: string[]; mechanism?: RegExp }[] = [
  { file: 'SkyrimUpscaler_-_Crash_2024_4_12_14-45-22.txt', files: ['SkyrimUpscaler.dll'] },
  { file: 'JContainers.txt', files: ['JContainers64.dll'] },
  { file: 'D6DDDA_-_Crash_2024_4_12_11-57-34.txt', mechanism: /D6DDDA/ },
  { file: 'D6DDDA__-_Crash_2024_4_4_21-8-52.txt', mechanism: /D6DDDA/ },
  { file: 'ShadowSceneNode1.txt', mechanism: /Shadow Scene Node/i },
  { file: 'Shadow_Scene_Node_-_Crash_2024_3_11_9-59-3.txt', mechanism: /Shadow Scene Node/i },
  { file: 'AnimationLimitCrash.txt', mechanism: /Animation limit/i },
  { file: 'Alphabetized_Load_Order_-_Crash_2024_4_12_18-50-46.txt', mechanism: /alphabeti[sz]ed/i },
  { file: 'Alphabetized_-_Crash_2024_4_4_19-7-44.txt', mechanism: /alphabeti[sz]ed/i },
];

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'labelled fixtures (publisher labels, not in the corpus figure)',
  () => {
    it('prints whether the labelled file is in our top 3, and whether the labelled mechanism is the headline', () => {
      const rows = LABELLED.map((l) => {
        const v = verdictOf(real('crashlogs', 'skyrim-nsf-nolvus', l.file), l.file);
        const names = v.suspects.slice(0, 3).map((x) => x.name.toLowerCase());
        const headline = v.probableCause?.headline ?? '';
        const fileHit = l.files ? l.files.some((f) => names.includes(f.toLowerCase())) : null;
        const headlineHit = l.mechanism ? l.mechanism.test(headline) : null;
        const findingHit = l.mechanism ? v.findings.some((f) => l.mechanism!.test(f.title)) : null;
        return { l, fileHit, headlineHit, findingHit, headline };
      });
      const files = rows.filter((r) => r.fileHit !== null);
      const mech = rows.filter((r) => r.headlineHit !== null);
      const count = (xs: boolean[]) => `${xs.filter(Boolean).length}/${xs.length}`;
      console.log(
        [
          `labelled fixtures (publisher's labels, not thread-established; not in the corpus figure): ` +
            `labelled file in top 3 ${count(files.map((r) => r.fileHit!))}; ` +
            `labelled mechanism is the headline ${count(mech.map((r) => r.headlineHit!))}, among the findings ${count(mech.map((r) => r.findingHit!))}`,
          ...rows
            .filter((r) => r.fileHit === false || r.headlineHit === false)
            .map((r) => `  not first: ${r.l.file} | ${r.headline}`),
        ].join('\n'),
      );
      expect(rows.length).toBe(LABELLED.length);
    });

    it('the incident merge keeps the headline of every lone Buffout 4 log (the d3d11 proxy case included)', () => {
      const dir = real('crashlogs', 'buffout4-fo4');
      const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
      for (const f of logs) expect(verdictOf(join(dir, f), f).probableCause).not.toBeNull();
      expect(logs.length).toBeGreaterThan(5);
    });
  },
);
