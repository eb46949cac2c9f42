import { open, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ScanResult } from '../../shared/contract/incidents';
import type { ArtifactRole, IncidentKind, Verdict } from '../../shared/domain/incident';
import type { AnalyzerEnv, AnalyzerOutput, ArtifactAnalyzer } from '../analysis/artifact-analyzer';
import { incidentVerdict } from '../analysis/rules/incident-findings';
import { mergeIncidentCause } from '../analysis/cause/merge';
import { decodeText } from '../formats/common/text-encoding';
import { culpritKeyOf } from '../analysis/signature/culprit';
import type { ArtifactRow, IncidentRow, SqliteIncidentStore } from '../store/sqlite-store';
import type { LogKind } from './crashlog-names';
import { groupFiles, needsHead, needsJson, type FoundFile, type IncidentCandidate } from './group';
import { analyseFile } from './analyse-file';
import { POOL_MIN_FILES, type AnalyseFn } from './analysis-pool';
import { mapLimit } from './map-limit';
import { walkFolder, describeFsError } from './walk';
import { parseJsonText } from '../../shared/text';

export interface IngestOptions {
  analyzers: readonly ArtifactAnalyzer[];
  /** The workbench's rules in force, for in-process analysis. */
  env: AnalyzerEnv;
  onProgress?: (p: { folder: string; filesSeen: number; done: boolean }) => void;
  /** Cache of "this unchanged .txt is not a crash log" across scans (path|size|mtime). */
  ignoredHeads?: Set<string>;
  /** Worker-pool analysis (analysis-pool.ts), used when a scan has enough files to analyse. */
  pool?: { analyse: AnalyseFn; readonly available: boolean };
  /** Fewest files to analyse before the pool is used (tests lower it). */
  poolMinFiles?: number;
  /**
   * Called for each incident built, before it is written: records its mod setup and returns
   * the verdict with mod names (setup/setup-service.ts). Must not throw.
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
}) => Promise<Verdict | null>;

export interface IngestResult extends ScanResult {
  changedIds: string[];
}

const HEAD_BYTES = 64 * 1024;
/** Files read at once while scanning (heads, link JSON, analysis). */
const READ_CONCURRENCY = 8;
/** Incidents built at once when analysis runs in workers (keeps every worker busy). */
const POOL_CONCURRENCY = 256;
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
  const result: IngestResult = {
    scannedFolders: [root],
    incidents: 0,
    added: 0,
    updated: 0,
    removed: 0,
    filesRead: 0,
    durationMs: 0,
    errors: [],
    changedIds: [],
  };
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    result.errors.push({ path: root, message: describeFsError(e, root) });
    result.durationMs = performance.now() - started;
    return result;
  }

  const walked = await walkFolder(root);
  result.errors.push(...walked.errors);
  opts.onProgress?.({ folder: root, filesSeen: walked.files.length, done: false });

  const stored = new Map(store.artifactStates(root).map((a) => [a.path, a]));
  const storedPerIncident = new Map<string, number>();
  for (const a of stored.values())
    storedPerIncident.set(a.incidentId, (storedPerIncident.get(a.incidentId) ?? 0) + 1);
  const unchanged = (f: { path: string; size: number; mtimeMs: number }) => {
    const s = stored.get(f.path);
    return !!s && s.size === f.size && s.mtimeMs === f.mtimeMs;
  };

  // Enrich the few files grouping needs to look into (most files need nothing: no promise each).
  const found: FoundFile[] = [];
  const toRead: { ff: FoundFile; head: boolean; json: boolean }[] = [];
  for (const f of walked.files) {
    const ff: FoundFile = { ...f };
    found.push(ff);
    let head = false;
    if (needsHead(f.path)) {
      if (unchanged(f)) {
        const role = stored.get(f.path)?.role;
        ff.knownLogKind = role ? (LOG_ROLES[role] ?? null) : null;
      } else if (opts.ignoredHeads?.has(`${f.path}|${f.size}|${f.mtimeMs}`)) ff.knownLogKind = null;
      else head = true;
    }
    const json = needsJson(f.path) && f.size <= MAX_JSON_LINK_BYTES;
    if (head || json) toRead.push({ ff, head, json });
  }
  await mapLimit(toRead, READ_CONCURRENCY, async ({ ff, head, json }) => {
    if (head) {
      ff.head = await readHead(ff.path);
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

  const candidates = groupFiles(root, found);
  if (opts.ignoredHeads) {
    const used = new Set(candidates.flatMap((c) => c.files.map((x) => x.file.path)));
    for (const f of found)
      if (f.head !== undefined && !used.has(f.path))
        opts.ignoredHeads.add(`${f.path}|${f.size}|${f.mtimeMs}`);
  }

  const before = new Set(store.incidentIdsInFolder(root));
  /** What the scan wrote (ids only: built incidents are dropped once written). */
  const written: { id: string; isNew: boolean }[] = [];
  const dirtyCandidates = candidates.filter((c) => {
    const dirty = c.files.some((x) => {
      const s = stored.get(x.file.path);
      return !s || s.size !== x.file.size || s.mtimeMs !== x.file.mtimeMs || s.incidentId !== c.id;
    });
    const storedCount = storedPerIncident.get(c.id) ?? 0;
    return dirty || storedCount !== c.files.length || !before.has(c.id);
  });
  const dirtyFiles = dirtyCandidates.reduce((n, c) => n + c.files.length, 0);
  const usePool = !!opts.pool?.available && dirtyFiles >= (opts.poolMinFiles ?? POOL_MIN_FILES);
  const analyse: AnalyseFn = usePool
    ? opts.pool!.analyse
    : (file, role) => analyseFile(file, role, opts.analyzers, opts.env);
  const unwritten: Awaited<ReturnType<typeof buildIncident>>[] = [];
  const flush = () => {
    const batch = unwritten.splice(0);
    if (batch.length)
      store.transaction(() => {
        for (const p of batch) store.writeIncident(p.inc, p.artifacts, p.modules ?? [], p.body);
      });
  };
  let seen = 0;
  await mapLimit(dirtyCandidates, usePool ? POOL_CONCURRENCY : READ_CONCURRENCY, async (c) => {
    const built = await buildIncident(store, c, unchanged, analyse, result);
    if (opts.onIncident)
      built.inc.verdict = await opts.onIncident({
        id: c.id,
        capturedMs: c.capturedMs,
        kind: built.inc.kind,
        verdict: built.inc.verdict,
        outputs: built.outputs,
        isNew: !before.has(c.id),
      });
    // Mod names are searchable like module names.
    const modNames = new Set((built.inc.verdict?.suspects ?? []).flatMap((s) => (s.mod ? [s.mod.name] : [])));
    if (modNames.size) built.body += `\n${[...modNames].join('\n')}`;
    written.push({ id: c.id, isNew: !before.has(c.id) });
    unwritten.push(built);
    if (unwritten.length >= WRITE_BATCH) flush();
    seen += c.files.length;
    if (seen % 500 < c.files.length)
      opts.onProgress?.({ folder: root, filesSeen: walked.files.length, done: false });
  });
  flush();

  const keep = new Set(candidates.map((c) => c.id));
  const gone = [...before].filter((id) => !keep.has(id));
  if (gone.length) store.transaction(() => store.deleteIncidents(gone));
  result.added = written.filter((w) => w.isNew).length;
  result.updated = written.length - result.added;
  result.removed = gone.length;
  result.incidents = candidates.length;
  result.changedIds = [...written.map((w) => w.id), ...gone];
  result.durationMs = performance.now() - started;
  opts.onProgress?.({ folder: root, filesSeen: walked.files.length, done: true });
  return result;
}

async function buildIncident(
  store: SqliteIncidentStore,
  c: IncidentCandidate,
  /** Whether the index holds this file at its current size and mtime (else nothing to reuse). */
  unchanged: (f: FoundFile) => boolean,
  analyse: AnalyseFn,
  result: IngestResult,
): Promise<{
  inc: IncidentRow;
  artifacts: ArtifactRow[];
  modules: AnalyzerOutput['modules'];
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

function fallbackTitle(kind: IncidentKind, c: IncidentCandidate, artifacts: ArtifactRow[]): string {
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
