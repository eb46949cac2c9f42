import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ArtifactRole, ParseStatus } from '../../shared/domain/incident';
import type { AnalyzerEnv, AnalyzerOutput, ArtifactAnalyzer } from '../analysis/artifact-analyzer';
import { isParseError } from '../formats/common/parse-error';
import { describeFsError } from './walk';

/**
 * Files up to this size are read once: hashed from that read and, where the analyzer can,
 * analysed from it too. Larger ones (full-memory dumps, ETL, big logs) are streamed/windowed.
 */
const WHOLE_MAX = 8 * 1024 * 1024;

/** What the index keeps about one analysed artifact file. */
export interface FileAnalysis {
  sha256: string | null;
  status: ParseStatus;
  error: string | null;
  analyzer: string | null;
  /** The analyzer's output without `facts` being needed (those are in factsJson). */
  output: AnalyzerOutput | null;
  /** The whole output as stored JSON. */
  factsJson: string | null;
}

export interface FileToAnalyse {
  path: string;
  size: number;
}

/**
 * Hashes one file and runs the analyzers registered for its role; the first that succeeds
 * wins. Never throws: a vanished file or a parser error becomes the artifact's parse error.
 * Runs in the scanning process or in an analysis worker (analysis-worker.ts) unchanged.
 */
export async function analyseFile(
  file: FileToAnalyse,
  role: ArtifactRole,
  analyzers: readonly ArtifactAnalyzer[],
  env: AnalyzerEnv,
  /** Blocking reads: right in an analysis worker (no UI to stall), wrong on the main thread. */
  syncIo = false,
): Promise<FileAnalysis> {
  const none = { output: null, factsJson: null };
  let sha256: string | null;
  let bytes: Buffer | null = null;
  try {
    if (file.size <= WHOLE_MAX) {
      bytes = syncIo ? readFileSync(file.path) : await readFile(file.path);
      sha256 = createHash('sha256').update(bytes).digest('hex');
    } else sha256 = await hashStream(file.path);
  } catch (e) {
    return {
      sha256: null,
      status: 'error',
      error: describeFsError(e, file.path).replace(/^Folder does not exist/, 'Cannot read (file vanished)'),
      analyzer: null,
      ...none,
    };
  }
  const candidates = analyzers.filter((a) => a.roles.includes(role));
  if (candidates.length === 0) return { sha256, status: 'skipped', error: null, analyzer: null, ...none };
  if (file.size === 0)
    return {
      sha256,
      status: 'error',
      error: 'file is empty (0 bytes)',
      analyzer: candidates[0]!.name,
      ...none,
    };
  let lastError: string | null = null;
  for (const a of candidates) {
    try {
      const output =
        bytes && a.analyzeBytes
          ? await a.analyzeBytes(bytes, file.path, env)
          : await a.analyze(file.path, env);
      return { sha256, status: 'ok', error: null, analyzer: a.name, output, factsJson: toJson(output) };
    } catch (e) {
      // The artifact row already names the file; keep the field/offset part of the message.
      lastError = isParseError(e)
        ? e.message.replace(` (${file.path})`, '').replace(`(${file.path}, `, '(')
        : `${a.name} failed: ${(e as Error).message ?? String(e)}`;
    }
  }
  return { sha256, status: 'error', error: lastError, analyzer: candidates[0]!.name, ...none };
}

/**
 * Analyzer facts may hold bigint values; the index stores plain JSON (written once, here).
 * `setup` (a crash log's plugin list, thousands of names) goes to the setup snapshot instead.
 */
function toJson(o: AnalyzerOutput): string {
  const { setup: _setup, ...kept } = o;
  return JSON.stringify(kept, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function hashStream(path: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolveHash(h.digest('hex')));
  });
}
