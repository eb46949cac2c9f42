import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { BundlePreview, PreviewFile } from '../../shared/contract/bundle';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type BundleFile,
  type BundleManifest,
  type BundlePreset,
  type RedactionReport,
} from '../../shared/domain/bundle';
import type { IncidentDetail } from '../../shared/domain/incident';
import type { LocalIdentity } from '../privacy/identities';
import {
  SCRUB_CHUNK,
  discoverDump,
  planScrub,
  scrubbedChunks,
  stacksOnlyCopy,
} from '../privacy/dump-sanitizer';
import type { RuleSet } from '../privacy/rules';
import { RedactionSession } from '../privacy/session';
import { scanPool, type ScanPool } from '../privacy/scan-pool';
import type { ScanCache } from '../privacy/scan-cache';
import { TEXT_READ_BUFFER, textFilePass } from '../privacy/text-file';
import { buildIssueMarkdown } from './issue-report';
import { BufferPool } from '../privacy/buffer-pool';
import { ZipWriter } from './zip-writer';
import { ETL_WARNING, entryNames, planBundle, type PlanItem } from './plan';

/**
 * Writes a bundle: the incident's artifacts (redacted / sanitized for public bundles), a
 * `report.md`, and `bundle.json` last (it lists every other entry's size and SHA-256, which
 * are only known once the entry went through).
 *
 * Two passes over the data: first every file is read to learn the names and secrets to hide
 * (a name seen in the last file must go from the first one too), then each file streams into
 * the zip through its redaction, so scanning one chunk overlaps deflating the one before and no
 * redacted copy of a multi-GB dump is ever written. A text file or a dump is scanned once: the
 * first pass keeps what it found (ScanCache) and the second only applies it, scanning again just
 * the pieces read before a value they may hold was learned, and a dump's windows that a string
 * patch changed. The zip goes to a temporary name next to the
 * destination and is renamed at the end; a failure or a cancel removes it.
 */
export interface BundleDeps {
  appVersion: string;
  rules: RuleSet;
  local: LocalIdentity[];
  extraWords: string[];
  facts: (artifactId: number) => unknown;
  /** Scratch space for redacted copies (default: the OS temp folder). */
  stagingRoot?: string;
  /** Reported in bundle.json / the report (tests pin it). */
  now?: () => Date;
}

export interface BundleRequest {
  preset: BundlePreset;
  artifactIds?: number[];
  includeEtl: boolean;
  stacksOnly: boolean;
}

export interface Progress {
  phase: 'discover' | 'sanitize' | 'redact' | 'zip' | 'done';
  bytesDone: number;
  bytesTotal: number;
  file: string | null;
  message: string;
}

export interface RunControl {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export class ExportCancelled extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('Export cancelled; no file was written.');
  }
}

/** Every file of the incident is left out (an ETL-only incident, public preset): no empty zip. */
export class NothingToExportError extends Error {
  readonly code = 'bad_request';
  constructor(items: PlanItem[]) {
    const why = items.map((i) => `${i.artifact.name}: ${i.note ?? 'left out'}`);
    super(
      `Nothing to export: ${items.length ? `every file is left out (${why.slice(0, 5).join('; ')}${why.length > 5 ? '; …' : ''})` : 'the incident has no files'}. No bundle was written.`,
    );
  }
}

/** `.bundle.zip.partial-<pid>-<random>`: the pid tells a crashed export's leftover from a running one's. */
const PARTIAL = /^\..+\.partial-(\d+)-[0-9a-f]+$/;
const STAGING = /^ctd-export-(\d+)-/;
/** A leftover whose process is alive is still removed once it is this old (its pid was reused). */
const STALE_MS = 7 * 24 * 3600_000;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what killed exports left in `dir`: hidden `.partial` zips and stacks-only staging
 * folders of processes that are gone (or of any process, past a week). Errors are ignored: a
 * leftover that cannot be removed now will be next time.
 */
export async function cleanStaleExports(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name) ?? STAGING.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    try {
      const old = now - (await stat(path)).mtimeMs > STALE_MS;
      if (processAlive(Number(m[1])) && !old) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already, or locked: next time.
    }
  }
  return removed;
}

/** Files bigger than this are deflated at level 1: several times faster, a little larger. */
const FAST_DEFLATE_BYTES = 2 * 1024 * 1024;

interface Prepared {
  items: PlanItem[];
  included: PlanItem[];
  session: RedactionSession | null;
  /** Entry names in the zip (redacted with everything learned, for public bundles). */
  names: Map<PlanItem, string>;
  warnings: string[];
  meter: Meter;
}

class Meter {
  done = 0;
  private last = 0;
  private phase: Progress['phase'] | null = null;
  constructor(
    readonly total: number,
    private readonly onProgress?: (p: Progress) => void,
  ) {}
  report(phase: Progress['phase'], file: string | null, add = 0, force = false): void {
    this.done = Math.min(this.total, this.done + add);
    const now = Date.now();
    // Throttled, but the first report of each phase always goes out.
    if (!force && phase === this.phase && now - this.last < 100) return;
    this.last = now;
    this.phase = phase;
    const pct = this.total ? Math.round((100 * this.done) / this.total) : 100;
    this.onProgress?.({
      phase,
      bytesDone: this.done,
      bytesTotal: this.total,
      file,
      message: `${phaseLabel[phase]}${file ? ` ${file}` : ''} (${pct}%)`,
    });
  }
}

const phaseLabel: Record<Progress['phase'], string> = {
  discover: 'Looking for names and secrets in',
  sanitize: 'Sanitizing',
  redact: 'Redacting',
  zip: 'Packing',
  done: 'Done',
};

function keyOf(it: PlanItem): string {
  return `file:${it.artifact.id}`;
}

/** A public bundle's (or issue report's) redaction: the rules, this computer's names, the user's words. */
export function newSession(deps: BundleDeps): RedactionSession {
  return new RedactionSession({ rules: deps.rules, local: deps.local, extraWords: deps.extraWords });
}

/**
 * The first pass over one planned file: learn the names and secrets it holds (redacted text and
 * sanitized dumps; copied files are not redacted). `stringsOnly`: a dump's strings, not its bytes.
 */
export async function discoverItem(
  session: RedactionSession,
  it: PlanItem,
  o: {
    signal?: AbortSignal;
    onBytes?: (n: number) => void;
    stringsOnly?: boolean;
    /** Keep a file's spans (text pieces, dump windows) for its redaction pass (the bundle writer; not the issue report). */
    cache?: ScanCache;
    /** Worker threads sharing big text files' discovery scans (with `cache` only). */
    workers?: ScanPool;
  } = {},
): Promise<void> {
  const key = keyOf(it);
  if (it.treatment === 'sanitized-dump')
    await discoverDump(it.artifact.path, session.engine, session.redactor, key, o);
  else if (it.treatment === 'redacted-text')
    await textFilePass(it.artifact.path, {
      engine: session.engine,
      purpose: 'discover',
      cache: o.cache,
      workers: o.workers,
      learnedFrom: key,
      signal: o.signal,
      onBytes: o.onBytes,
    });
}

async function prepare(
  incident: IncidentDetail,
  req: BundleRequest,
  deps: BundleDeps,
  ctl: RunControl,
): Promise<Prepared> {
  const items = await planBundle(incident, req);
  const included = items.filter((i) => i.included);
  const pub = req.preset === 'public';
  const bytes = included.reduce((t, i) => t + i.artifact.size, 0);
  const redacted = included.filter((i) => i.treatment !== 'copied').reduce((t, i) => t + i.artifact.size, 0);
  // Redacted files are read twice (learn, then redact on the way into the zip), copies once.
  const meter = new Meter((pub ? redacted : 0) + bytes, ctl.onProgress);
  const warnings: string[] = [];
  if (included.some((i) => i.kind === 'etl')) warnings.push(ETL_WARNING);
  if (!pub) warnings.push('Private bundle: nothing is redacted. Share it only with people you trust.');
  let session: RedactionSession | null = null;
  if (pub) {
    session = newSession(deps);
    session.redactor.discover(incidentText(incident), 'incident');
    for (const it of included) {
      ctl.signal?.throwIfAborted();
      const onBytes = (n: number) => meter.report('discover', it.artifact.name, n);
      meter.report('discover', it.artifact.name, 0, true);
      try {
        // A stacks-only dump is scrubbed from a reduced copy, which no cached window matches.
        const cache = req.stacksOnly && it.treatment === 'sanitized-dump' ? undefined : session.scanCache;
        await discoverItem(session, it, { signal: ctl.signal, onBytes, cache, workers: scanPool() });
      } catch (e) {
        if (ctl.signal?.aborted) throw e;
        throw new Error(`Cannot read ${it.artifact.name}: ${(e as Error).message}`, { cause: e });
      }
    }
    session.label('incident', 'bundle.json');
    session.label('report', 'report.md');
  }
  // File names are redacted with everything learned ("crash-kim.log" included).
  const names = entryNames(included, (n) => (session ? session.redactString(n, 'names') : n));
  if (session) for (const [it, name] of names) session.label(keyOf(it), name);
  return { items, included, session, names, warnings, meter };
}

function incidentText(i: IncidentDetail): string {
  return [i.title, i.notes, JSON.stringify(i.verdict ?? {}), ...i.artifacts.map((a) => a.name)].join('\n');
}

/** The incident as bundle.json describes it (redacted for public bundles). */
function incidentBlock(i: IncidentDetail, session: RedactionSession | null): BundleManifest['incident'] {
  const r = (s: string) => (session ? session.redactString(s, 'incident') : s);
  // Every string of the verdict: titles, suspects with their evidence and mod names, the
  // probable cause (its sentence quotes module, mod and SkyrimDiag text), findings' evidence.
  const deep = (v: unknown): unknown =>
    typeof v === 'string'
      ? r(v)
      : Array.isArray(v)
        ? v.map(deep)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]))
          : v;
  const verdict = i.verdict ? (deep(i.verdict) as typeof i.verdict) : null;
  return {
    kind: i.kind,
    capturedAt: i.capturedAt,
    source: i.source,
    title: r(i.title),
    signature: i.signature && r(i.signature),
    verdict,
    ...(i.notes ? { notes: r(i.notes) } : {}),
    status: i.status,
  };
}

export function bundleFileName(i: IncidentDetail, preset: BundlePreset, now: Date): string {
  const t =
    i.capturedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15) || now.toISOString().slice(0, 10);
  return `ctd-bundle-${i.kind}-${t}-${preset}.zip`;
}

/**
 * The bytes of one entry, redacted on the way: a scrubbed dump a chunk at a time, a redacted
 * text a few MB of lines at a time, or the file as it is. `countOnly` (the preview) runs the
 * same passes and keeps only their counts and a few sample lines.
 */
async function entryStream(
  p: Prepared,
  it: PlanItem,
  req: BundleRequest,
  stageDir: string | null,
  ctl: RunControl,
  countOnly: boolean,
  samples?: string[],
): Promise<{ stream: Readable; size: number | null; recycle?: (chunk: Buffer) => void }> {
  const s = p.session;
  const name = p.names.get(it) ?? it.artifact.name;
  const key = keyOf(it);
  if (!s || it.treatment === 'copied') {
    const rs = createReadStream(it.artifact.path, { highWaterMark: 1024 * 1024, signal: ctl.signal });
    rs.on('data', (c) => p.meter.report('zip', name, c.length));
    return { stream: rs, size: (await stat(it.artifact.path)).size };
  }
  if (it.treatment === 'sanitized-dump') {
    let src = it.artifact.path;
    if (req.stacksOnly && stageDir && !countOnly) {
      src = join(stageDir, `${it.artifact.id < 0 ? 'c' : ''}${Math.abs(it.artifact.id)}.dmp`);
      const res = await stacksOnlyCopy(it.artifact.path, src);
      if (res.droppedRanges)
        p.warnings.push(
          `${name}: stacks only, ${res.droppedRanges} memory ranges (${res.droppedBytes} bytes) left out.`,
        );
    }
    const counter = s.counter(key, 'sanitized-dump');
    const plan = await planScrub(src, s.redactor, counter, key);
    if (!plan.parsed)
      p.warnings.push(
        `${name} is not a readable minidump: it was scrubbed byte by byte for known names and secrets.`,
      );
    // The zip writer hands each chunk back once compressed: a few buffers serve the whole dump
    // (pieces in flight, one read ahead, and one being filled).
    const pool = new BufferPool(SCRUB_CHUNK, 6);
    const chunks = scrubbedChunks(plan, s.engine, s.redactor, counter, key, {
      signal: ctl.signal,
      onBytes: (n) => p.meter.report('sanitize', name, n),
      countOnly,
      cache: s.scanCache,
      alloc: (n) => pool.take(n),
    });
    return {
      stream: Readable.from(chunks, { objectMode: false, highWaterMark: 1 }),
      size: plan.size,
      recycle: (c) => pool.give(c),
    };
  }
  // Parts go through one by one (object mode: a byte-mode stream would join them), so the
  // zip writer can hand back the views of each read buffer and the pass reuse it.
  const pool = new BufferPool(TEXT_READ_BUFFER, 8);
  const out = new PassThrough({ objectMode: true, highWaterMark: 4 });
  textFilePass(it.artifact.path, {
    engine: s.engine,
    purpose: 'redact',
    cache: s.scanCache,
    learnedFrom: key,
    counter: s.counter(key, 'redacted-text'),
    tokenOf: s.tokenOf,
    signal: ctl.signal,
    onBytes: (n) => p.meter.report('redact', name, n),
    samples,
    buffers: countOnly ? undefined : pool,
    write: countOnly
      ? undefined
      : async (chunk) => {
          if (!out.write(chunk)) await once(out, 'drain');
        },
  }).then(
    () => out.end(),
    (e: Error) => out.destroy(e),
  );
  return { stream: out, size: null, recycle: (c) => pool.give(c) };
}

/**
 * report.md: the issue text (built from unredacted facts, so the caller redacts it) and the
 * "About this bundle" part, made only of counts, rule descriptions, stand-ins and the bundle's
 * own (already redacted) names, which must not be redacted again: rule descriptions quote
 * "C:\Users\NAME" as an example.
 */
function reportMarkdown(
  incident: IncidentDetail,
  deps: BundleDeps,
  files: { name: string; size: number; note?: string }[],
  report: RedactionReport | null,
  warnings: string[],
  bundleName: string,
): { issue: string; about: string } {
  const issue = buildIssueMarkdown({
    incident,
    facts: new Map(incident.artifacts.map((a) => [a.id, deps.facts(a.id)])),
    appVersion: deps.appVersion,
    attachments: files,
    bundleName,
  }).markdown;
  const lines = ['', '## About this bundle', ''];
  if (warnings.length) lines.push(...warnings.map((w) => `> **Note:** ${w}`), '');
  if (report) {
    lines.push(
      `Redacted: ${report.totalHits} values replaced by stand-ins (rules ${report.ruleSets.join(', ')}).`,
      '',
      '| Rule | Replaced |',
      '|---|---|',
      ...report.rules.map((r) => `| ${r.description} | ${r.hits} |`),
      '',
      `Stand-ins used: ${report.pseudonyms.map((x) => `\`${x.token}\``).join(', ') || 'none'}.`,
      '',
    );
  } else lines.push('This is a **private** bundle: the files are unredacted copies.', '');
  return { issue, about: lines.join('\n') };
}

/**
 * Moves the finished zip to `outPath` unless something is there already. link() fails when the
 * name is taken, the one atomic "create, never replace" rename lacks; a file system without
 * hard links (FAT32, exFAT) gets a check and a rename instead.
 */
async function placeNoClobber(partial: string, outPath: string): Promise<void> {
  const taken = () => new DestinationExistsError(`${basename(outPath)} already exists; it was not replaced.`);
  try {
    await link(partial, outPath);
    await unlink(partial);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw taken();
    if (
      await stat(outPath).then(
        () => true,
        () => false,
      )
    )
      throw taken();
    await rename(partial, outPath);
  }
}

export interface WrittenBundle {
  path: string;
  size: number;
  sha256: string;
  manifest: BundleManifest;
}

export interface WriteOptions {
  /** Create the destination folder (the CLI's --out); renderer exports go to existing folders only. */
  createDir?: boolean;
  /** Replace an existing file (the CLI's --out, a save dialog that asked); otherwise refuse. */
  overwrite?: boolean;
}

export class DestinationExistsError extends Error {
  readonly code = 'bad_request';
}

export async function writeBundle(
  incident: IncidentDetail,
  req: BundleRequest,
  outPath: string,
  deps: BundleDeps,
  ctl: RunControl = {},
  o: WriteOptions = {},
): Promise<WrittenBundle> {
  const now = deps.now?.() ?? new Date();
  const partial = join(
    dirname(outPath),
    `.${basename(outPath)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`,
  );
  let stageDir: string | null = null;
  let zipOut: WriteStream | null = null;
  const open: Readable[] = [];
  try {
    if (o.createDir ?? true) await mkdir(dirname(outPath), { recursive: true });
    await cleanStaleExports(dirname(outPath));
    const p = await prepare(incident, req, deps, ctl);
    if (p.included.length === 0) throw new NothingToExportError(p.items);
    const s = p.session;
    if (req.stacksOnly && s) {
      const root = deps.stagingRoot ?? tmpdir();
      await mkdir(root, { recursive: true });
      await cleanStaleExports(root);
      stageDir = await mkdtemp(join(root, `ctd-export-${process.pid}-`));
    }
    zipOut = createWriteStream(partial);
    const out = zipOut;
    const outFailed = new Promise<never>((_res, rej) => out.on('error', rej));
    outFailed.catch(() => undefined);
    // The bundle's own hash, taken on the way to disk (no second read of the file).
    const zipHash = createHash('sha256');
    const zip = new ZipWriter(out, { tap: (c) => zipHash.update(c) });
    const mtime = now;
    const files = new Map<PlanItem, BundleFile>();
    for (const it of p.included) {
      ctl.signal?.throwIfAborted();
      const name = p.names.get(it)!;
      const level = it.artifact.size > FAST_DEFLATE_BYTES || it.kind === 'dump' ? 1 : 6;
      const { stream, recycle } = await entryStream(p, it, req, stageDir, ctl, false);
      open.push(stream);
      const h = createHash('sha256');
      let bytes = 0;
      const hashed = (async function* () {
        for await (const c of stream as AsyncIterable<Buffer>) {
          h.update(c);
          bytes += c.length;
          yield c;
        }
      })();
      await Promise.race([zip.add(name, hashed, { mtime, level, recycle }), outFailed]);
      files.set(it, {
        name,
        role: it.artifact.role,
        size: bytes,
        sha256: h.digest('hex'),
        treatment: it.treatment!,
      });
    }
    p.meter.report('zip', null, 0, true);

    const bundleName = basename(outPath);
    const excluded = p.items
      .filter((i) => !i.included)
      .map((i) => ({
        name: s ? s.redactString(i.artifact.name, 'names') : i.artifact.name,
        role: i.artifact.role,
        reason: i.note ?? 'left out',
      }));
    const notes = excluded.map((e) => `Left out ${e.name}: ${e.reason}`);
    const ordered = p.included.map((it) => files.get(it)!);
    const md = reportMarkdown(
      incident,
      deps,
      ordered.map((f, i) => ({ name: f.name, size: f.size, note: p.included[i]!.note ?? undefined })),
      s ? s.report(notes) : null,
      p.warnings,
      bundleName,
    );
    const mdBytes = Buffer.from(`${s ? s.redactString(md.issue, 'report') : md.issue}\n${md.about}`, 'utf8');
    await zip.add('report.md', mdBytes, { mtime, level: 6 });
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      format_version: BUNDLE_FORMAT_VERSION,
      app_version: deps.appVersion,
      created_at: now.toISOString(),
      preset: req.preset,
      redacted: req.preset === 'public',
      incident: incidentBlock(incident, s),
      files: [
        ...ordered,
        {
          name: 'report.md',
          role: 'report',
          size: mdBytes.length,
          sha256: createHash('sha256').update(mdBytes).digest('hex'),
          treatment: 'generated',
        },
      ],
      excluded,
      redaction: s ? s.report(notes) : null,
      warnings: p.warnings,
    };
    await zip.add('bundle.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), {
      mtime,
      level: 6,
    });
    await zip.finish();
    // Closed, not just flushed: Windows cannot rename a file that is still open.
    await Promise.race([new Promise<void>((res) => out.end(() => out.close(() => res()))), outFailed]);
    zipOut = null;
    ctl.signal?.throwIfAborted();
    if (o.overwrite ?? true) await rename(partial, outPath);
    else await placeNoClobber(partial, outPath);
    const st = await stat(outPath);
    return { path: outPath, size: st.size, sha256: zipHash.digest('hex'), manifest };
  } catch (e) {
    for (const r of open) r.destroy();
    const z = zipOut;
    if (z && !z.closed) await new Promise<void>((res) => z.destroy().once('close', () => res()));
    await unlink(partial).catch(() => undefined);
    if (ctl.signal?.aborted) throw new ExportCancelled();
    throw e;
  } finally {
    if (stageDir) await rm(stageDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What an export would do, without writing: counts per rule and file, redacted sample lines. */
export async function previewBundle(
  incident: IncidentDetail,
  req: BundleRequest,
  deps: BundleDeps,
  ctl: RunControl = {},
): Promise<BundlePreview> {
  const p = await prepare(incident, req, deps, ctl);
  const samples = new Map<PlanItem, string[]>();
  if (p.session)
    for (const it of p.included) {
      if (it.treatment === 'copied') continue;
      const list: string[] = [];
      samples.set(it, list);
      const { stream } = await entryStream(p, it, req, null, ctl, true, list);
      // Drain: the counts are the point, not the bytes.
      for await (const _chunk of stream) void _chunk;
    }
  const files: PreviewFile[] = p.items.map((it) => ({
    artifactId: it.artifact.id,
    name: it.artifact.name,
    entryName: p.names.get(it) ?? '',
    role: it.artifact.role,
    size: it.artifact.size,
    included: it.included,
    treatment: it.treatment,
    note: it.note,
    hits: p.session?.counter(keyOf(it), it.treatment ?? 'copied').total ?? 0,
    samples: samples.get(it) ?? [],
  }));
  return {
    preset: req.preset,
    files,
    report: p.session ? p.session.report() : null,
    warnings: [...new Set(p.warnings)],
    totalBytes: p.included.reduce((t, i) => t + i.artifact.size, 0),
  };
}
