import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { EtlSession } from './session';

/** Below every verdict-producing analyzer: a trace explains an incident, it does not name it. */
export const ETL_PRIORITY = 5;

/**
 * Indexes an ETW trace: no verdict, a few facts for the Overview and the names a developer
 * searches for (providers, event types, the busy process and its hot modules).
 */
export async function analyzeEtlFile(path: string): Promise<AnalyzerOutput> {
  const s = await EtlSession.openAsync(path);
  try {
    const sum = s.summary;
    return {
      priority: ETL_PRIORITY,
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
