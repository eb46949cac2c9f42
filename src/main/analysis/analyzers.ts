import type { ArtifactAnalyzer } from './artifact-analyzer';
import { minidumpAnalyzer } from './minidump/dump-analyzer';
import { crashLogAnalyzer } from './crashlog/crashlog-analyzer';
import { wctAnalyzer } from './hang/wct-analyzer';
import { manifestAnalyzer } from './skyrimdiag/manifest-analyzer';
import { summaryAnalyzer, textSearchAnalyzer } from './skyrimdiag/summary-analyzer';
import { blackboxAnalyzer, exitEvidenceAnalyzer, pluginScanAnalyzer } from './skyrimdiag/sidecar-analyzers';
import { etlAnalyzer } from './etw/etl-analyzer';
import { logPatternAnalyzer } from './logs/log-analyzer';
import { bundleAnalyzer } from './bundle/bundle-analyzer';

/**
 * Every artifact analyzer the ingest pipeline runs. Features add theirs here (one line each).
 */
export const analyzers: ArtifactAnalyzer[] = [
  crashLogAnalyzer,
  minidumpAnalyzer,
  wctAnalyzer,
  manifestAnalyzer,
  summaryAnalyzer,
  blackboxAnalyzer,
  pluginScanAnalyzer,
  exitEvidenceAnalyzer,
  // Before textSearchAnalyzer: the first analyzer that succeeds for a role wins.
  logPatternAnalyzer,
  textSearchAnalyzer,
  etlAnalyzer,
  bundleAnalyzer,
];
