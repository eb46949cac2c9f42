import type { DumpThreadLead } from '../../shared/domain/minidump';
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
  /**
   * The little the incident-level answer needs from this artifact (analysis/cause/merge.ts):
   * a hang dump's per-thread lead modules, the wait chain's lock owners, the black box's main
   * thread, SkyrimDiag's mod names. Kept small: unlike `facts` it travels back from workers.
   */
  merge?: IncidentMergeFacts;

  /**
   * The setup the artifact lists (a crash log's game plugins and script-extender DLLs), for
   * the incident's setup snapshot. Handed to the ingest hook, not stored with the artifact.
   */
  setup?: {
    game: string | null;
    plugins: { name: string }[];
    dlls: { name: string; version: string | null }[];
  };
}

/**
 * What an analyzer is handed besides the file. An analyzer keeps no state of its own: the scan
 * (or a worker) passes the workbench's rules in force. Read lazily: most analyzers never ask.
 * Without an environment an analyzer uses the bundled rules (bundledRuleSet).
 */
export interface AnalyzerEnv {
  rules(): ActiveRules;
}

export interface IncidentMergeFacts {
  /** Hang and manual dumps: first third-party module per thread, and the first thread's id. */
  threadLeads?: DumpThreadLead[];
  firstThreadId?: number | null;
  /** WCT: the main thread and the owners along its wait chain, nearest first. */
  mainThreadId?: number | null;
  mainWaitOwners?: number[];
  /** SkyrimDiag black box: the SessionStart thread (the game's main thread). */
  sessionThreadId?: number | null;
  /** SkyrimDiag summary: module → MO2 mod name, its one-line conclusion, its freeze analysis. */
  modNames?: Record<string, string>;
  sentence?: string | null;
  freeze?: { state: string; consensusModule: string | null; lockCycleProven: boolean } | null;
  /** SkyrimDiag exit evidence: the game exited with code 0 after the fault. */
  cleanExit?: boolean;
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
