import type { ArtifactAnalyzer } from './artifact-analyzer';
import { crashLogAnalyzer } from '../formats/crashlog/crashlog-analyzer';

/**
 * Every artifact analyzer the ingest pipeline runs. Features add theirs here (one line each).
 */
export const analyzers: ArtifactAnalyzer[] = [crashLogAnalyzer];
