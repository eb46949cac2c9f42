import { GAME_LABEL, gameOfFileName } from '../../../shared/domain/game';
import type { EtwSummary } from '../../../shared/domain/etw';
import type { VerdictInput } from '../../../shared/domain/incident';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { EtlSession } from './session';

/**
 * Below every other verdict (an imported bundle's own included): a trace explains an incident,
 * it does not name it, unless it is all there is (a trace recorded on its own).
 */
export const ETL_PRIORITY = 0;

/**
 * The verdict of a trace on its own: what the main thread did when the trace has kernel events,
 * else what the trace holds. Without it a loose .etl was an "unknown" incident with no verdict
 * although its summary says plenty.
 */
export function etlVerdict(sum: EtwSummary): VerdictInput {
  const game = sum.focusProcess ? gameOfFileName(sum.focusProcess.name) : null;
  const what = sum.mainThread?.sentence ?? sum.facts[0] ?? `${sum.events} events`;
  return {
    title: what.startsWith('ETW trace') ? what : `ETW trace: ${what}`,
    game: game ? GAME_LABEL[game] : null,
    analyzer: 'etw',
    incomplete: sum.problemCount > 0,
    missing: sum.problems.slice(0, 5).map((p) => p.message),
  };
}

/**
 * Indexes an ETW trace: a low-priority verdict (see ETL_PRIORITY), a few facts for the Overview
 * and the names a developer searches for (providers, event types, the busy process and its hot
 * modules).
 */
export async function analyzeEtlFile(path: string): Promise<AnalyzerOutput> {
  const s = await EtlSession.openAsync(path);
  try {
    const sum = s.summary;
    return {
      priority: ETL_PRIORITY,
      verdict: etlVerdict(sum),
      searchText: [
        'etw trace etl',
        ...sum.providers.map((p) => p.name),
        ...sum.types.slice(0, 200).map((t) => t.event),
        sum.focusProcess?.name ?? '',
        ...sum.topModules.slice(0, 10).map((m) => m.name),
      ]
        .filter(Boolean)
        .join(' '),
      facts: {
        events: sum.events,
        durationMs: sum.durationMs,
        providers: sum.providers.slice(0, 20).map((p) => ({ name: p.name, events: p.events })),
        hasKernel: sum.hasKernel,
        focusProcess: sum.focusProcess,
        mainThread: sum.mainThread?.sentence ?? null,
        facts: sum.facts,
        problems: sum.problems.slice(0, 20),
        problemCount: sum.problemCount,
        incomplete: sum.incomplete,
        missing: sum.missing,
      },
    };
  } finally {
    s.close();
  }
}

export const etlAnalyzer: ArtifactAnalyzer = {
  name: 'etl',
  roles: ['etl'],
  analyze: analyzeEtlFile,
};
