import type { LogPatternSummary } from '../../../shared/domain/logs';
import { BufferSource } from '../../formats/common/byte-source';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { dedupeFile, dedupeSource } from './dedupe';

/** Search text carries the error and warning patterns' examples, most frequent first. */
const SEARCH_PATTERNS = 400;
const SEARCH_CHARS = 256 * 1024;

export const LOG_ANALYZER = 'log-patterns';

/** What the index keeps of a log: its pattern summary as facts, error patterns as search text. */
export function logAnalyzerOutput(summary: LogPatternSummary): AnalyzerOutput {
  const flagged = summary.patterns
    .filter((p) => p.severity !== 'info')
    .sort((a, b) => b.count - a.count)
    .slice(0, SEARCH_PATTERNS);
  let searchText = '';
  for (const p of flagged) {
    if (searchText.length > SEARCH_CHARS) break;
    searchText += `${p.example}\n`;
  }
  return { searchText, facts: summary };
}

/**
 * Papyrus.0.log, skse64.log / f4se.log, SkyrimDiag(Helper).log and any other text log
 * attached to an incident: one streamed dedupe pass (dedupe.ts), bounded whatever the size.
 */
export const logPatternAnalyzer: ArtifactAnalyzer = {
  name: LOG_ANALYZER,
  roles: ['papyrus', 'log'],
  async analyze(path) {
    return logAnalyzerOutput(await dedupeFile(path));
  },
  async analyzeBytes(bytes, path) {
    return logAnalyzerOutput(await dedupeSource(new BufferSource(bytes, path)));
  },
};
