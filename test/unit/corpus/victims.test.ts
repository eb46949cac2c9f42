import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyModule } from '../../../src/main/analysis/cause/roles';
import { analyzeCrashLogBuffer, crashLogOutput } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { Verdict } from '../../../src/shared/domain/incident';
import { CORPUS_DIR } from '../../corpus/corpus';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Issue 12's "known victims are never ranked first without evidence", checked on every real
 * crash log we hold (the thread corpus and the shared fixtures: Buffout 4, NetScriptFramework,
 * Crash Logger, Trainwreck), not only on the ones with an established culprit.
 *
 * A module whose role data calls it a victim (the game, Windows and its runtimes, the allocator,
 * the script extender's loader, the crash logger, the mod manager's VFS hook) may come first only
 * when:
 * - the evidence re-classified it (ENB/ReShade's d3d11.dll in the game folder is an overlay, not
 *   Windows' Direct3D), so its role on the suspect differs from the victim role; or
 * - nothing else is on the list, it carries counter-evidence, and the headline does not name it.
 */

function realLogs(): string[] {
  const dirs = [CORPUS_DIR];
  if (fixturesAvailable()) {
    for (const d of ['buffout4-fo4', 'skyrim-mocked', 'skyrim-nsf-nolvus']) {
      const dir = real('crashlogs', d);
      if (existsSync(dir)) dirs.push(dir);
    }
  }
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => /\.(log|txt)$/i.test(f))
      .map((f) => join(d, f)),
  );
}

interface Check {
  file: string;
  top: string | null;
  problem: string | null;
  reclassified: boolean;
}

function check(file: string): Check {
  const name = file.split(/[\\/]/).pop() ?? file;
  const v = Verdict.parse(crashLogOutput(analyzeCrashLogBuffer(readFileSync(file), name)).verdict);
  const top = v.suspects[0];
  if (!top) return { file: name, top: null, problem: null, reclassified: false };
  const cls = classifyModule(top.name);
  if (cls.weight !== 'victim') return { file: name, top: top.name, problem: null, reclassified: false };
  if (top.role && top.role !== cls.role)
    return { file: name, top: top.name, problem: null, reclassified: true };
  const against = (top.evidence ?? []).some((e) => e.direction === 'against');
  const named = v.probableCause?.subject?.toLowerCase() === top.name.toLowerCase();
  const alone = v.suspects.every((s) => classifyModule(s.name).weight === 'victim');
  const problem = !alone
    ? `known victim ${top.name} (${cls.role}) ranked above a real candidate`
    : named
      ? `the headline names the known victim ${top.name}`
      : !against
        ? `known victim ${top.name} shown without its counter-evidence`
        : null;
  return { file: name, top: top.name, problem, reclassified: false };
}

describe('real crash logs: known victims are never ranked first without evidence', () => {
  const checks = realLogs().map(check);

  it('prints how often a victim comes first and why, and fails on any unexplained one', () => {
    const reclassified = checks.filter((c) => c.reclassified);
    const problems = checks.filter((c) => c.problem);
    console.log(
      [
        `victims first: ${problems.length} of ${checks.length} real logs without a reason; ` +
          `${reclassified.length} re-classified by evidence (${reclassified.map((c) => `${c.file}: ${c.top}`).join('; ') || 'none'})`,
        ...problems.map((p) => `  ${p.file}: ${p.problem}`),
      ].join('\n'),
    );
    expect(checks.length).toBeGreaterThanOrEqual(27);
    expect(problems).toEqual([]);
  });
});
