import { createHash } from 'node:crypto';
import { basename, dirname, extname } from 'node:path';
import { ArtifactRole, type IncidentKind, type IncidentSource } from '../../shared/domain/incident';
import { sniffLogHead, timeFromLogName, type LogKind } from './crashlog-names';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../shared/domain/local-time';
import { captureKey, classifySkyrimDiag, keyForStem, tsToLocalIso } from './skyrimdiag-names';
import { isSessionLogName } from './text-log-names';

/** One file found by the walk, with what grouping needs to know about its content. */
export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** First bytes of .log/.txt files (to recognise crash loggers); omitted for others. */
  head?: string;
  /** A role already known from the index for an unchanged file (saves re-reading its head). */
  knownLogKind?: LogKind | null;
  /** Parsed JSON of small linking files (recapture manifests, evidence, bundle.json). */
  json?: unknown;
}

export interface IncidentCandidate {
  id: string;
  key: string;
  folder: string;
  source: IncidentSource;
  kind: IncidentKind;
  capturedAt: string;
  capturedMs: number;
  files: { file: FoundFile; role: ArtifactRole }[];
}

/** Crash logs pair with a dump captured within this window (SkyrimDiag's own rule, §10). */
export const PAIR_WINDOW_MS = 120_000;
/** A Papyrus log belongs to the incident closest in time within this window. */
const PAPYRUS_WINDOW_MS = 10 * 60_000;
/** A session log last written at game start belongs to the first capture this long after it. */
const SESSION_WINDOW_MS = 6 * 3600_000;

export function incidentIdFor(key: string): string {
  // Hex of the first 8 bytes: the same 16 characters as slicing the full hex, without a
  // slice that keeps the 40-character string alive behind every candidate (issue 15).
  return createHash('sha1').update(key).digest().toString('hex', 0, 8);
}

function str(o: unknown, ...path: string[]): string | null {
  let v: unknown = o;
  for (const p of path) {
    if (!v || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[p];
  }
  return typeof v === 'string' ? v : null;
}

/** Which files need their head or JSON read before grouping. */
export function needsHead(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.log' || ext === '.txt';
}

export function needsJson(path: string): boolean {
  const name = basename(path);
  if (/^bundle\.json$/i.test(name)) return true;
  // Cheap test first: a rescan of 20,000 files asks this of every one.
  if (!/^skyrimdiag_(incident_crashrecapture|cleanexitevidence|postexitcrashevidence)_/i.test(name))
    return false;
  const c = classifySkyrimDiag(name);
  return (c?.type === 'manifest' && c.recapture) || c?.type === 'evidence';
}

/**
 * Groups the files under one scanned root into incidents. Pure: same files in, same
 * incidents (and ids) out, which is what makes "delete the index and rescan" safe.
 */
export function groupFiles(root: string, files: FoundFile[]): IncidentCandidate[] {
  const byKey = new Map<string, IncidentCandidate>();
  const alias = new Map<string, string>();
  const pendingLogs: { file: FoundFile; kind: LogKind }[] = [];
  const pendingEtl: FoundFile[] = [];
  const pendingDerived: { file: FoundFile; stem: string; role: ArtifactRole }[] = [];
  const pendingEvidence: FoundFile[] = [];
  const sessionLogs: FoundFile[] = [];
  const bundleDirs = new Map<string, FoundFile>();

  for (const f of files) if (/^bundle\.json$/i.test(basename(f.path))) bundleDirs.set(dirname(f.path), f);

  const add: AddFile = (key, init, file, role) => {
    let c = byKey.get(key);
    if (!c) {
      c = { id: incidentIdFor(key), key, folder: root, files: [], ...init() };
      byKey.set(key, c);
    }
    c.files.push({ file, role });
    return c;
  };

  // First pass: files that name their incident (captures, dumps, bundles). The rest wait until
  // every capture is known.
  const later: Deferred = { pendingLogs, pendingEtl, pendingDerived, pendingEvidence, sessionLogs };
  for (const f of files) placeFile(f, bundleDirs.get(dirname(f.path)), add, alias, later);

  // Recapture manifests/dumps join the crash they re-captured.
  for (const [from, to] of alias) {
    const a = byKey.get(from);
    const b = byKey.get(to);
    if (a && b && a !== b) {
      b.files.push(...a.files);
      byKey.delete(from);
    }
  }
  const resolve = (key: string) => byKey.get(alias.get(key) ?? key) ?? byKey.get(key);

  for (const d of pendingDerived) {
    const dir = dirname(d.file.path);
    const sdKey = keyForStem(d.stem);
    const target = sdKey ? resolve(`${dir}|${sdKey}`) : byKey.get(`${dir}|dmp:${d.stem.toLowerCase()}`);
    if (target) target.files.push({ file: d.file, role: d.role });
    else if (sdKey) {
      // Analyzer output whose dump was deleted by retention: still an incident.
      const c = classifySkyrimDiag(`${d.stem}.dmp`);
      const ts = c?.type === 'dump' ? c.ts : '';
      add(
        `${dir}|${sdKey}`,
        () => ({
          source: 'skyrimdiag',
          kind: c?.type === 'dump' ? c.kind : 'unknown',
          ...tsTime(ts, d.file),
        }),
        d.file,
        d.role,
      );
    }
  }
  for (const f of pendingEtl) {
    const dir = dirname(f.path);
    const stem = basename(f.path).replace(/\.etl$/i, '');
    const target = byKey.get(`${dir}|dmp:${stem.toLowerCase()}`);
    if (target) target.files.push({ file: f, role: 'etl' });
    else
      add(
        `${dir}|etl:${stem.toLowerCase()}`,
        // A trace on its own was recorded on purpose: a manual capture, not an unknown incident.
        () => ({ source: 'capture', kind: 'manual', ...mtimeTime(f) }),
        f,
        'etl',
      );
  }
  for (const f of pendingEvidence) {
    const dir = dirname(f.path);
    const dumpName = str(f.json, 'dump_filename');
    const c = dumpName ? classifySkyrimDiag(basename(dumpName.replace(/\\/g, '/'))) : null;
    const target = c?.type === 'dump' ? resolve(`${dir}|${c.key}`) : undefined;
    if (target) target.files.push({ file: f, role: 'evidence' });
    else {
      const sd = classifySkyrimDiag(basename(f.path));
      const ts = sd?.type === 'evidence' ? sd.ts : '';
      add(
        `${dir}|evidence:${basename(f.path).toLowerCase()}`,
        () => ({ source: 'skyrimdiag', kind: 'crash', ...tsTime(ts, f) }),
        f,
        'evidence',
      );
    }
  }

  // Crash logs: pair with a dump of the same kind captured within 120 s, else their own incident.
  // Candidates are kept sorted by capture time and each log only looks at its time window:
  // a folder of thousands of dumps and logs must not pair every log with every dump.
  const papyrus: FoundFile[] = [];
  const captures = byTime([...byKey.values()].filter((c) => c.source === 'skyrimdiag' || c.source === 'wer'));
  for (const { file, kind } of pendingLogs) {
    if (kind === 'papyrus') {
      papyrus.push(file);
      continue;
    }
    const nameTime = timeFromLogName(basename(file.path));
    const t = nameTime ? { capturedAt: nameTime, capturedMs: sortKeyOfLocalIso(nameTime) } : mtimeTime(file);
    const logDir = dirname(file.path);
    const best = pairedCapture(captures, kind, t.capturedMs, logDir);
    const role: ArtifactRole = kind === 'crash' ? 'crashlog' : 'threaddump';
    if (best) best.files.push({ file, role });
    else
      add(
        `${logDir}|log:${basename(file.path).toLowerCase()}`,
        () => ({ source: 'crashlogger', kind: kind === 'crash' ? 'crash' : 'manual', ...t }),
        file,
        role,
      );
  }
  const all = [...byKey.values()];
  const allByTime = byTime(all);
  for (const p of papyrus) {
    const best = writtenAtCapture(p, allByTime);
    if (best) best.files.push({ file: p, role: 'papyrus' });
  }
  for (const f of sessionLogs) {
    const best = writtenAtCapture(f, allByTime) ?? sessionCapture(f, allByTime);
    if (best) best.files.push({ file: f, role: 'log' });
  }

  // Sorted, then copied: an array grown by push keeps spare slots (17 for a single file), and a
  // scan holds every candidate until it knows which changed (issue 15: 100,000 incidents).
  for (const c of all)
    c.files = c.files
      .sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0))
      .slice();
  return all;
}

type AddFile = (
  key: string,
  init: () => Omit<IncidentCandidate, 'files' | 'id' | 'key' | 'folder'>,
  file: FoundFile,
  role: ArtifactRole,
) => IncidentCandidate;

/** Files whose incident is known only once every capture is placed (groupFiles' second pass). */
interface Deferred {
  pendingLogs: { file: FoundFile; kind: LogKind }[];
  pendingEtl: FoundFile[];
  pendingDerived: { file: FoundFile; stem: string; role: ArtifactRole }[];
  pendingEvidence: FoundFile[];
  sessionLogs: FoundFile[];
}

function mtimeTime(f: FoundFile) {
  const iso = localIsoFromMs(f.mtimeMs);
  return { capturedAt: iso, capturedMs: sortKeyOfLocalIso(iso) };
}

function tsTime(ts: string, f: FoundFile) {
  const iso = tsToLocalIso(ts);
  return iso ? { capturedAt: iso, capturedMs: sortKeyOfLocalIso(iso) } : mtimeTime(f);
}

/**
 * groupFiles' first pass over one file: a file inside an imported bundle, a SkyrimDiag capture
 * file or a plain dump goes to its incident now; logs, traces, analyzer outputs and evidence
 * that join a capture are put in `later`.
 */
function placeFile(
  f: FoundFile,
  bundle: FoundFile | undefined,
  add: AddFile,
  alias: Map<string, string>,
  later: Deferred,
): void {
  const dir = dirname(f.path);
  const name = basename(f.path);
  if (bundle) {
    // An imported bundle is one incident whatever its files are called.
    const key = `bundle:${dir}`;
    const created = str(bundle.json, 'incident', 'capturedAt') ?? str(bundle.json, 'created_at');
    const kind = (str(bundle.json, 'incident', 'kind') ?? 'unknown') as IncidentKind;
    add(
      key,
      () => {
        const ms = created ? Date.parse(created) : NaN;
        const iso = Number.isFinite(ms) ? localIsoFromMs(ms) : localIsoFromMs(bundle.mtimeMs);
        return {
          source: 'bundle',
          kind: safeKind(kind),
          capturedAt: iso,
          capturedMs: sortKeyOfLocalIso(iso),
        };
      },
      f,
      f === bundle ? 'bundle' : (roleInBundle(bundle.json, name) ?? roleByExtension(name)),
    );
    return;
  }
  if (isSessionLogName(name)) {
    later.sessionLogs.push(f);
    return;
  }
  const sd = classifySkyrimDiag(name);
  if (sd) {
    switch (sd.type) {
      case 'dump':
      case 'wct':
      case 'etl':
        add(
          `${dir}|${sd.key}`,
          () => ({ source: 'skyrimdiag', kind: sd.kind, ...tsTime(sd.ts, f) }),
          f,
          sd.type,
        );
        break;
      case 'manifest': {
        const src = sd.recapture ? str(f.json, 'context', 'source_dump') : null;
        const srcKey = src ? keyForStem(src.replace(/\.dmp$/i, '')) : null;
        if (srcKey) alias.set(`${dir}|${sd.key}`, `${dir}|${srcKey}`);
        add(
          `${dir}|${sd.key}`,
          () => ({ source: 'skyrimdiag', kind: sd.kind, ...tsTime(sd.ts, f) }),
          f,
          'manifest',
        );
        break;
      }
      case 'derived':
        later.pendingDerived.push({ file: f, stem: sd.stem, role: sd.role });
        break;
      case 'evidence':
        later.pendingEvidence.push(f);
        break;
      case 'temp':
      case 'folder-state':
        break;
    }
    return;
  }
  const ext = extname(name).toLowerCase();
  if (ext === '.dmp' || ext === '.mdmp') {
    const stem = name.slice(0, -ext.length);
    add(
      `${dir}|dmp:${stem.toLowerCase()}`,
      () => ({ source: 'wer', kind: 'unknown', ...mtimeTime(f) }),
      f,
      'dump',
    );
  } else if (ext === '.etl') {
    later.pendingEtl.push(f);
  } else if (needsHead(f.path)) {
    const kind =
      f.knownLogKind !== undefined
        ? f.knownLogKind
        : f.head !== undefined
          ? sniffLogHead(name, f.head)
          : null;
    if (kind) later.pendingLogs.push({ file: f, kind });
  }
}

/** Stable sort by capture time (ties keep discovery order, so grouping stays deterministic). */
function byTime(list: IncidentCandidate[]): IncidentCandidate[] {
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.capturedMs - b.c.capturedMs || a.i - b.i)
    .map((x) => x.c);
}

/** Index of the first candidate captured at or after `ms` in a list sorted by time. */
function firstAtOrAfter(sorted: IncidentCandidate[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.capturedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The capture a crash log (or thread dump) of `kind` written at `ms` pairs with: one of the
 * kind it reports, captured within PAIR_WINDOW_MS, without a log of its own yet; the nearest
 * wins, and on a tie the one in the log's folder. `captures` is sorted by capture time.
 */
function pairedCapture(
  captures: IncidentCandidate[],
  kind: LogKind,
  ms: number,
  logDir: string,
): IncidentCandidate | null {
  const wantKinds: IncidentKind[] = kind === 'crash' ? ['crash', 'unknown'] : ['hang', 'manual'];
  let best: IncidentCandidate | null = null;
  let bestDiff = Infinity;
  for (let i = firstAtOrAfter(captures, ms - PAIR_WINDOW_MS); i < captures.length; i++) {
    const c = captures[i]!;
    if (c.capturedMs > ms + PAIR_WINDOW_MS) break;
    if (!wantKinds.includes(c.kind)) continue;
    if (c.files.some((x) => x.role === 'crashlog' || x.role === 'threaddump')) continue;
    const diff = Math.abs(c.capturedMs - ms);
    // A capture's folder is that of its first file (a capture's files share one folder; logs
    // join at the end of the list), asked only on a tie: a map of every capture's folder was
    // one more string per incident held through grouping (issue 15).
    if (diff < bestDiff || (diff === bestDiff && dirname(c.files[0]!.file.path) === logDir)) {
      best = c;
      bestDiff = diff;
    }
  }
  return best;
}

/**
 * The capture closest in time to a log that is last written at or shortly after it (Papyrus,
 * helper). `byTime` is sorted by capture time, so only the log's window is looked at.
 */
function writtenAtCapture(f: FoundFile, byTimeList: IncidentCandidate[]): IncidentCandidate | null {
  const t = sortKeyOfLocalIso(localIsoFromMs(f.mtimeMs));
  let best: IncidentCandidate | null = null;
  // The log is last written at or shortly after the capture, never long before it.
  for (let i = firstAtOrAfter(byTimeList, t - PAPYRUS_WINDOW_MS); i < byTimeList.length; i++) {
    const c = byTimeList[i]!;
    if (c.capturedMs > t + PAIR_WINDOW_MS) break;
    if (!best || Math.abs(t - c.capturedMs) < Math.abs(t - best.capturedMs)) best = c;
  }
  return best;
}

/** A log written at game start (skse64.log) belongs to the session's first capture after it. */
function sessionCapture(f: FoundFile, byTimeList: IncidentCandidate[]): IncidentCandidate | null {
  const t = sortKeyOfLocalIso(localIsoFromMs(f.mtimeMs));
  const c = byTimeList[firstAtOrAfter(byTimeList, t + 1)];
  return c && c.capturedMs - t <= SESSION_WINDOW_MS ? c : null;
}

function safeKind(k: string): IncidentKind {
  return k === 'crash' || k === 'hang' || k === 'manual' ? k : 'unknown';
}

/** The role bundle.json recorded for a file (the exporter knew it; a name alone may not tell). */
function roleInBundle(json: unknown, name: string): ArtifactRole | null {
  const files = (json as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files)) return null;
  const f = files.find((x) => (x as { name?: unknown })?.name === name) as { role?: unknown } | undefined;
  const role = ArtifactRole.safeParse(f?.role);
  return role.success && role.data !== 'bundle' ? role.data : null;
}

function roleByExtension(name: string): ArtifactRole {
  const sd = classifySkyrimDiag(name);
  if (sd?.type === 'dump') return 'dump';
  if (sd?.type === 'manifest') return 'manifest';
  if (sd?.type === 'wct') return 'wct';
  if (sd?.type === 'etl') return 'etl';
  if (sd?.type === 'derived') return sd.role;
  const ext = extname(name).toLowerCase();
  if (ext === '.dmp' || ext === '.mdmp') return 'dump';
  if (ext === '.etl') return 'etl';
  if (/^report\.md$/i.test(name)) return 'report';
  if (/^papyrus\.\d+\.log$/i.test(name)) return 'papyrus';
  if (ext === '.log' || ext === '.txt') return /crash/i.test(name) ? 'crashlog' : 'log';
  return 'other';
}

export { captureKey };
