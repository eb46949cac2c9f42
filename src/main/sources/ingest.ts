import { open, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ScanResult } from '../../shared/contract/incidents';
import type { ArtifactRole, IncidentKind, Verdict } from '../../shared/domain/incident';
import type { AnalyzerEnv, AnalyzerOutput, ArtifactAnalyzer } from '../analysis/artifact-analyzer';
import { incidentVerdict } from '../analysis/rules/incident-findings';
import { mergeIncidentCause } from '../analysis/cause/merge';
import { decodeText } from '../formats/common/text-encoding';
import { culpritKeyOf } from '../analysis/signature/culprit';
import type { ArtifactRow, IncidentRow, IncidentWrite, SqliteIncidentStore } from '../store/sqlite-store';
import { sniffLogHead, type LogKind } from './crashlog-names';
import { groupFiles, needsHead, needsJson, type FoundFile, type IncidentCandidate } from './group';
import { analyseFile } from './analyse-file';
import { POOL_MIN_FILES, type AnalyseFn } from './analysis-pool';
import { mapLimit } from './map-limit';
import { decodeCandidate, encodeCandidate, type QueuedCandidate, type QueuedFile } from './candidate-codec';
import { walkFolder, describeFsError, type WalkResult } from './walk';
import { emptyScanResult } from './scan-result';
import { BlockSet, incidentBlock, recordScan, unchangedScan, walkDigest } from './scan-state';
import { parseJsonText } from '../../shared/text';

export interface IngestOptions {
  analyzers: readonly ArtifactAnalyzer[];
  /** The workbench's rules in force, for in-process analysis. */
  env: AnalyzerEnv;
  onProgress?: (p: { folder: string; filesSeen: number; done: boolean }) => void;
  /** Cache of "this unchanged .txt is not a crash log" across scans (path|size|mtime). */
  ignoredHeads?: Set<string>;
  /** Worker-pool analysis (analysis-pool.ts), used when a scan has enough files to analyse. */
  pool?: { analyse: AnalyseFn; readonly available: boolean; warm?: () => void };
  /** Fewest files to analyse before the pool is used (tests lower it). */
  poolMinFiles?: number;
  /**
   * Called for each incident built, before it is written: returns the verdict with mod names
   * and the writes that record its mod setup (setup/setup-service.ts), which go into the
   * incident's write batch right after its own rows. Must not throw.
   */
  onIncident?: IncidentHook;
}

export type IncidentHook = (i: {
  id: string;
  capturedMs: number;
  kind: IncidentKind;
  verdict: Verdict | null;
  outputs: readonly AnalyzerOutput[];
  isNew: boolean;
}) => Promise<{ verdict: Verdict | null; write?: () => void }>;

export interface IngestResult extends ScanResult {
  changedIds: string[];
}

const HEAD_BYTES = 64 * 1024;
/** Files read at once while scanning (heads, link JSON, analysis). */
const READ_CONCURRENCY = 8;
/**
 * Incidents built at once when analysis runs in workers: enough to keep every worker busy,
 * few enough that what is in flight (analysis outputs, facts JSON) stays small. The workers'
 * queues must also outlast a write batch, during which this thread sends them nothing: with 64
 * they ran dry while it wrote (issue 15). Alternating cold scans at load ~2-3 (wall, peak RSS):
 * 5,000 incidents 64 -> 128 -> 256: 7.69/7.31/8.95 -> 7.37/7.25/8.36 -> 6.79/7.96/8.12 s, RSS
 * ~200 -> ~205 -> ~220 MiB; 1,000: 2.54 -> 2.49 -> 2.42 s (medians of 4), 174 -> 176 -> 180
 * MiB. 256 is a little faster but holds ~20 MiB more at 5,000; not measured at 100,000
 * incidents, where the bound is 300 MiB and the margin ~20 MiB.
 */
const POOL_CONCURRENCY = 128;
/** Whether `files` files are enough work for the analysis workers (where they can run at all). */
function poolPaysFor(opts: IngestOptions, files: number): boolean {
  return files >= (opts.poolMinFiles ?? POOL_MIN_FILES) && !!opts.pool?.available;
}

/**
 * Most files a cold scan may find for the workers to start before grouping (changedIncidents).
 * 100,000 incidents (200,000 files), one run each: peak RSS 248 MiB with the workers started at
 * the first file, 284 MiB started before grouping; 20,000 (40,000 files): 229 and 229 MiB.
 */
const WARM_MAX_FILES = 40_000;
/** Incidents written per transaction: the index fills while analysis goes on. */
const WRITE_BATCH = 256;

const MAX_JSON_LINK_BYTES = 4 * 1024 * 1024;
/** What an unchanged artifact stored last time (so a rescan does not re-read it). */
interface StoredOutput {
  analyzer: string | null;
  output: AnalyzerOutput | null;
}

/** On equal analyzer priority the primary evidence wins: a dump over a log over a summary. */
const ROLE_RANK: Partial<Record<ArtifactRole, number>> = {
  dump: 0,
  wct: 1,
  crashlog: 2,
  threaddump: 3,
  summary: 4,
};

const LOG_ROLES: Partial<Record<ArtifactRole, LogKind>> = {
  crashlog: 'crash',
  threaddump: 'threaddump',
  papyrus: 'papyrus',
};

/**
 * Scans one root folder into the index: walk, group, re-analyse only files whose size or
 * mtime changed, write changed incidents in batched transactions as they are built, drop
 * incidents whose files are gone. Never throws for what it finds on disk; problems go into `errors` and parse errors.
 */
export async function ingestFolder(
  store: SqliteIncidentStore,
  rootIn: string,
  opts: IngestOptions,
): Promise<IngestResult> {
  const started = performance.now();
  const root = resolve(rootIn);
  const result: IngestResult = { ...emptyScanResult([root]), changedIds: [] };
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    result.errors.push({ path: root, message: describeFsError(e, root) });
    result.durationMs = performance.now() - started;
    return result;
  }

  const walked = await walkFolder(root);
  const walk = walkDigest(walked);
  // Nothing changed since a scan whose outcome is recorded (scan-state.ts): no grouping, no reads.
  const unchanged = unchangedScan(store, root, walk, walked.errors, result);
  if (unchanged) {
    opts.onProgress?.({ folder: root, filesSeen: walked.files.length, done: false });
    result.durationMs = performance.now() - started;
    opts.onProgress?.({ folder: root, filesSeen: walked.files.length, done: true });
    return result;
  }

  // The walk's list and the grouped candidates live only inside changedIncidents: what leaves
  // it is the changed incidents (dropped one by one as they are written) and the gone ids.
  const {
    dirty: dirtyCandidates,
    dirtyFiles,
    gone,
    filesSeen,
    expected,
  } = await changedIncidents(store, root, walked, opts, result);

  /** What the scan wrote (ids only: built incidents are dropped once written). */
  const written: string[] = [];
  let added = 0;
  const usePool = poolPaysFor(opts, dirtyFiles);
  const analyse: AnalyseFn = usePool
    ? opts.pool!.analyse
    : (file, role) => analyseFile(file, role, opts.analyzers, opts.env);
  const unwritten: IncidentWrite[] = [];
  const flush = () => store.writeIncidents(unwritten.splice(0));
  let seen = 0;
  await mapLimit(dirtyCandidates, usePool ? POOL_CONCURRENCY : READ_CONCURRENCY, async (encoded, i) => {
    const c = decodeCandidate(encoded, root);
    // The queue no longer holds this incident once it is being built.
    dirtyCandidates[i] = '';
    const { outputs, ...built }: Awaited<ReturnType<typeof buildIncident>> & { after?: () => void } =
      await buildIncident(store, c, isUnchanged, analyse, result);
    if (opts.onIncident) {
      const hooked = await opts.onIncident({
        id: c.id,
        capturedMs: c.capturedMs,
        kind: built.inc.kind,
        verdict: built.inc.verdict,
        outputs,
        isNew: c.isNew,
      });
      built.inc.verdict = hooked.verdict;
      built.after = hooked.write;
    }
    // Mod names are searchable like module names.
    const modNames = new Set((built.inc.verdict?.suspects ?? []).flatMap((s) => (s.mod ? [s.mod.name] : [])));
    if (modNames.size) built.body += `\n${[...modNames].join('\n')}`;
    written.push(c.id);
    if (c.isNew) added++;
    // The batch holds only the rows: the analyzer outputs (verdicts, search text, a crash log's
    // plugin list) are let go here rather than waiting with the batch until it is written
    // (issue 15: less for the main thread's collector to copy; 5,000 incidents: 109 -> 103 MB
    // promoted out of the young generation).
    unwritten.push(built);
    if (unwritten.length >= WRITE_BATCH) flush();
    seen += c.files.length;
    if (seen % 500 < c.files.length) opts.onProgress?.({ folder: root, filesSeen, done: false });
  });
  flush();

  if (gone.length) store.transaction(() => store.deleteIncidents(gone));
  recordScan(store, root, walk, expected);
  result.added = added;
  result.updated = written.length - added;
  result.removed = gone.length;
  result.changedIds = [...written, ...gone];
  result.durationMs = performance.now() - started;
  opts.onProgress?.({ folder: root, filesSeen, done: true });
  return result;
}

/**
 * Walks one root, compares what is on disk with the index and groups it: the incidents to
 * (re)build (new, a file added, gone, changed or moved from another incident) and the ids of
 * incidents whose files are all gone. Sets result.incidents, filesRead (heads) and errors.
 */
async function changedIncidents(
  store: SqliteIncidentStore,
  root: string,
  walked: WalkResult,
  opts: IngestOptions,
  result: IngestResult,
): Promise<{ dirty: string[]; dirtyFiles: number; gone: string[]; filesSeen: number; expected: string }> {
  result.errors.push(...walked.errors);
  const filesSeen = walked.files.length;
  opts.onProgress?.({ folder: root, filesSeen, done: false });

  // What the index holds for this folder, attached to the walked files themselves: a separate
  // map of 200,000 stored rows doubled the scan's per-file memory (issue 15). `prior` is every
  // incident of the folder with how many artifact rows it has now.
  const prior = new Map<string, number>();
  for (const id of store.incidentIdsInFolder(root)) prior.set(id, 0);
  const found = walked.files as IndexedFile[];
  {
    const byPath = new Map<string, IndexedFile>();
    for (const f of found) byPath.set(f.path, f);
    for (const a of store.artifactStates(root)) {
      prior.set(a.incidentId, (prior.get(a.incidentId) ?? 0) + 1);
      const f = byPath.get(a.path);
      // Only an unchanged file keeps anything: whose it was (and, for a log, what it was).
      if (f && a.size === f.size && a.mtimeMs === f.mtimeMs) {
        f.storedIncident = a.incidentId;
        if (needsHead(f.path)) f.knownLogKind = LOG_ROLES[a.role] ?? null;
      }
    }
  }

  // A folder the index has nothing of is a cold scan: what groups into incidents is analysed.
  // The workers start now and load the analyzers while this thread reads heads and groups,
  // instead of at the first file sent (issue 15). If too few files group for the pool to be
  // used, they are ended with it like after any scan (folder-sources.ts releases them). Not
  // for the largest folders: there grouping is the scan's memory peak, and workers started
  // during it add their heaps to it.
  if (prior.size === 0 && found.length <= WARM_MAX_FILES && poolPaysFor(opts, found.length))
    opts.pool?.warm?.();

  // Enrich the few files grouping needs to look into (most files need nothing: no promise each).
  // The walk's entries are enriched in place: a copy of each doubled the scan's live objects,
  // and what a scan holds per file sets its peak memory (issue 15).
  const toRead: { ff: FoundFile; head: boolean; json: boolean }[] = [];
  for (const f of found) {
    let head = false;
    // An unchanged log's kind came with the index's row above.
    if (needsHead(f.path) && !isUnchanged(f)) {
      if (opts.ignoredHeads?.has(`${f.path}|${f.size}|${f.mtimeMs}`)) f.knownLogKind = null;
      else head = true;
    }
    const json = needsJson(f.path) && f.size <= MAX_JSON_LINK_BYTES;
    if (head || json) toRead.push({ ff: f, head, json });
  }
  /** Files whose head this scan read (for the "not a crash log" cache below). */
  const sniffed = new Set<FoundFile>();
  await mapLimit(toRead, READ_CONCURRENCY, async ({ ff, head, json }) => {
    if (head) {
      // Only the verdict is kept: holding every 64 KiB head until the scan ends made peak
      // memory grow with the number of logs (issue 15).
      ff.knownLogKind = sniffLogHead(basename(ff.path), await readHead(ff.path));
      sniffed.add(ff);
      result.filesRead++;
    }
    if (json) {
      try {
        ff.json = parseJsonText(await readFile(ff.path, 'utf8'));
      } catch {
        ff.json = undefined;
      }
    }
  });
  toRead.length = 0;

  const candidates: (IndexedCandidate | null)[] = groupFiles(root, found) as IndexedCandidate[];
  // From here the candidates alone hold the entries they use: the list goes (issue 15).
  walked.files.length = 0;
  result.incidents = candidates.length;
  if (opts.ignoredHeads && sniffed.size) {
    for (const c of candidates) for (const x of c!.files) sniffed.delete(x.file);
    for (const f of sniffed) opts.ignoredHeads.add(`${f.path}|${f.size}|${f.mtimeMs}`);
  }
  sniffed.clear();

  // Changed incidents: new, a file added, gone, changed or moved from another incident. What
  // is left in `prior` afterwards is gone from disk.
  // Queued as flat strings (candidate-codec.ts): each candidate (and the walk's entries it
  // holds) is let go as it is queued, so the queue and the objects are never both whole, and
  // analysis of the queue can take many minutes.
  const dirty: string[] = [];
  let dirtyFiles = 0;
  // What the index must hold for this folder once the scan has written (scan-state.ts).
  const expected = new BlockSet();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    candidates[i] = null;
    expected.add(
      incidentBlock(
        c.id,
        c.files.map((x) => ({ path: x.file.path, role: x.role, size: x.file.size, mtimeMs: x.file.mtimeMs })),
      ),
    );
    const storedCount = prior.get(c.id);
    const isNew = storedCount === undefined;
    if (!isNew) prior.delete(c.id);
    const changed =
      isNew || storedCount !== c.files.length || c.files.some((x) => x.file.storedIncident !== c.id);
    if (changed) {
      dirty.push(encodeCandidate({ ...c, isNew }));
      dirtyFiles += c.files.length;
    }
  }
  return { dirty, dirtyFiles, gone: [...prior.keys()], filesSeen, expected: expected.hex() };
}

/** A walked file with what the index holds for its path in this folder (if anything). */
interface IndexedFile extends FoundFile {
  /** The incident the index files it under, when the index holds it at this size and mtime. */
  storedIncident?: string;
}

type IndexedCandidate = Omit<IncidentCandidate, 'files'> & {
  files: { file: IndexedFile; role: ArtifactRole }[];
};

/** Whether the index holds this file at its current size and mtime (else nothing to reuse). */
function isUnchanged(f: { storedIncident?: string }): boolean {
  return f.storedIncident !== undefined;
}

async function buildIncident(
  store: SqliteIncidentStore,
  c: QueuedCandidate,
  /** Whether the index holds this file at its current size and mtime (else nothing to reuse). */
  unchanged: (f: QueuedFile) => boolean,
  analyse: AnalyseFn,
  result: IngestResult,
): Promise<{
  inc: IncidentRow;
  artifacts: ArtifactRow[];
  modules: NonNullable<AnalyzerOutput['modules']>;
  body: string;
  outputs: AnalyzerOutput[];
}> {
  const artifacts: ArtifactRow[] = [];
  const outputs: (AnalyzerOutput & { rank: number })[] = [];
  for (const { file, role } of c.files) {
    const prev = unchanged(file) ? store.storedArtifact(file.path) : null;
    let row: ArtifactRow;
    let out: AnalyzerOutput | null;
    if (prev && prev.size === file.size && prev.mtimeMs === file.mtimeMs && prev.role === role) {
      row = { ...prev };
      out = parseStored(prev.factsJson).output;
    } else {
      const analysed = await analyse(file, role);
      result.filesRead++;
      if (analysed.status === 'error' && analysed.error?.startsWith('Cannot read'))
        result.errors.push({ path: file.path, message: analysed.error });
      row = {
        role,
        path: file.path,
        name: basename(file.path),
        size: file.size,
        mtimeMs: file.mtimeMs,
        sha256: analysed.sha256,
        parseStatus: analysed.status,
        parseError: analysed.error,
        analyzer: analysed.analyzer,
        factsJson: analysed.factsJson,
      };
      out = analysed.output;
    }
    artifacts.push(row);
    if (out) outputs.push({ ...out, rank: ROLE_RANK[role] ?? 9 });
  }
  const best = outputs
    .filter((o): o is AnalyzerOutput & { verdict: Verdict; rank: number } => !!o.verdict)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.rank - b.rank)[0];
  const kind = pickKind(c.kind, outputs);
  const title = best?.verdict.title ?? fallbackTitle(kind, c, artifacts);
  const modules = outputs.flatMap((o) => o.modules ?? []);
  const verdict = mergeIncidentCause(
    incidentVerdict(
      best?.verdict,
      outputs.map((o) => o.verdict),
    ),
    outputs,
    kind,
  );
  const body = [
    ...artifacts.map((a) => a.name),
    verdict?.probableCause?.headline ?? '',
    best?.verdict.exceptionName ?? '',
    best?.verdict.signature ?? '',
    ...outputs.map((o) => (o.searchText ?? '').slice(0, 512 * 1024)),
  ].join('\n');
  return {
    inc: {
      id: c.id,
      groupKey: c.key,
      kind,
      source: c.source,
      capturedAt: c.capturedAt,
      capturedMs: c.capturedMs,
      folder: c.folder,
      title,
      signature: best?.verdict.signature ?? null,
      culpritKey: culpritKeyOf(verdict?.probableCause),
      verdict,
      hasErrors: artifacts.some((a) => a.parseStatus === 'error'),
      artifactCount: artifacts.length,
    },
    artifacts,
    modules,
    body,
    outputs,
  };
}

function pickKind(fromNames: IncidentKind, outputs: AnalyzerOutput[]): IncidentKind {
  if (fromNames !== 'unknown') return fromNames;
  const fromContent = outputs.map((o) => o.kind).find((k) => k && k !== 'unknown');
  return fromContent ?? 'unknown';
}

function fallbackTitle(
  kind: IncidentKind,
  c: Pick<IncidentCandidate, 'source'>,
  artifacts: ArtifactRow[],
): string {
  const failed = artifacts.find((a) => a.parseStatus === 'error');
  const what = kind === 'unknown' ? 'Incident' : `${kind[0]!.toUpperCase()}${kind.slice(1)}`;
  if (failed) return `${what}: ${failed.name} could not be read`;
  const main = artifacts.find((a) => a.role === 'dump') ?? artifacts[0];
  return `${what} (${c.source}) — ${main?.name ?? 'no files'}`;
}

function parseStored(json: string | null): StoredOutput {
  if (!json) return { analyzer: null, output: null };
  try {
    return { analyzer: null, output: JSON.parse(json) as AnalyzerOutput };
  } catch {
    return { analyzer: null, output: null };
  }
}

async function readHead(path: string): Promise<string> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const b = buf.subarray(0, bytesRead);
    // UTF-16 logs (with or without BOM) and legacy code pages are rare but real.
    return decodeText(b).text;
  } catch {
    return '';
  } finally {
    await fh?.close();
  }
}
