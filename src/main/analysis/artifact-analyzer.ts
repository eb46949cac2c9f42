import type { ArtifactRole, IncidentKind, VerdictInput } from '../../shared/domain/incident';
import type { ActiveRules } from './rules/registry';

/**
 * What one analyzer learned from one artifact file. The ingest pipeline runs the analyzers
 * registered for an artifact's role whenever that file changed, stores the output, and picks
 * the incident's verdict from the highest-priority analyzer that produced one.
 */
export interface AnalyzerOutput {
  verdict?: VerdictInput;
  /** Higher wins when several artifacts of one incident produce verdicts. */
  priority?: number;
  /** What this artifact says the incident is (e.g. a dump with an exception stream = crash). */
  kind?: IncidentKind;
  /** Extra text for full-text search (module names, exception names, log lines...). */
  searchText?: string;
  /** Module names that took part (faulting module, suspects, stack modules) for trends. */
  modules?: { name: string; role: 'faulting' | 'suspect' | 'stack'; hits: number }[];
  /** Anything else worth keeping as JSON for the detail views. */
  facts?: unknown;
}

/**
 * What an analyzer is handed besides the file. An analyzer keeps no state of its own: the scan
 * (or a worker) passes the workbench's rules in force. Read lazily: most analyzers never ask.
 * Without an environment an analyzer uses the bundled rules (bundledRuleSet).
 */
export interface AnalyzerEnv {
  rules(): ActiveRules;
}

export interface ArtifactAnalyzer {
  /** Stable id, stored with the output ("minidump", "crashlog", "wct", "skyrimdiag-summary"...). */
  name: string;
  roles: readonly ArtifactRole[];
  /** Must not throw for bad input: return a ParseError via `throw` only; the pipeline records it as the artifact's parse error. */
  analyze(path: string, env?: AnalyzerEnv): Promise<AnalyzerOutput> | AnalyzerOutput;
  /**
   * The same analysis over the file's bytes, when the scan has already read the file whole
   * (small files: it hashes them from the same read). Saves a second open/read per file, which
   * is most of the cost of indexing thousands of small JSON and log files.
   */
  analyzeBytes?(bytes: Buffer, path: string, env?: AnalyzerEnv): Promise<AnalyzerOutput> | AnalyzerOutput;
}
