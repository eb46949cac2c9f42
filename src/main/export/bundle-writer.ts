import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import yazl from 'yazl';
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
import { discoverDump, sanitizeDump } from '../privacy/dump-sanitizer';
import type { RuleSet } from '../privacy/rules';
import { RedactionSession } from '../privacy/session';
import { textFilePass } from '../privacy/text-file';
import { buildIssueMarkdown } from './issue-report';
import { ETL_WARNING, entryNames, planBundle, type PlanItem } from './plan';

/**
 * Writes a bundle: the incident's artifacts (redacted / sanitized for public bundles), a
 * `report.md`, and `bundle.json` last (it lists every other entry's size and SHA-256, which
 * are only known once the entry went through). The zip is written to a temporary name next to
 * the destination and renamed at the end; a failure or a cancel removes it, so there is never a
 * partial bundle.
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

/** Files bigger than this are deflated at level 1: several times faster, a little larger. */
const FAST_DEFLATE_BYTES = 16 * 1024 * 1024;

interface Prepared {
  items: PlanItem[];
  included: PlanItem[];
  session: RedactionSession | null;
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

async function prepare(
  incident: IncidentDetail,
  req: BundleRequest,
  deps: BundleDeps,
  ctl: RunControl,
  zipping: boolean,
): Promise<Prepared> {
  const items = await planBundle(incident, req);
  const included = items.filter((i) => i.included);
  const pub = req.preset === 'public';
  const bytes = included.reduce((t, i) => t + i.artifact.size, 0);
  const redactedBytes = included.filter((i) => i.treatment !== 'copied').reduce((t, i) => t + i.artifact.size, 0);
  const meter = new Meter((pub ? redactedBytes * 2 : 0) + (zipping ? bytes : 0), ctl.onProgress);
  const warnings: string[] = [];
  if (included.some((i) => i.kind === 'etl')) warnings.push(ETL_WARNING);
  if (!pub) warnings.push('Private bundle: nothing is redacted. Share it only with people you trust.');
  let session: RedactionSession | null = null;
  if (pub) {
    session = new RedactionSession({ rules: deps.rules, local: deps.local, extraWords: deps.extraWords });
    session.redactor.discover(incidentText(incident), 'incident');
    for (const it of included) {
      ctl.signal?.throwIfAborted();
      const key = keyOf(it);
      const onBytes = (n: number) => meter.report('discover', it.artifact.name, n);
      meter.report('discover', it.artifact.name, 0, true);
      try {
        if (it.treatment === 'sanitized-dump')
          await discoverDump(it.artifact.path, session.engine, session.redactor, key, { signal: ctl.signal, onBytes });
        else if (it.treatment === 'redacted-text')
          await textFilePass(it.artifact.path, {
            engine: session.engine,
            purpose: 'discover',
            learnedFrom: key,
            signal: ctl.signal,
            onBytes,
          });
      } catch (e) {
        if (ctl.signal?.aborted) throw e;
        throw new Error(`Cannot read ${it.artifact.name}: ${(e as Error).message}`);
      }
    }
    // File names too ("crash-kim.log"): learned values are replaced in them below.
  }
  const names = entryNames(included, (n) => (session ? session.redactString(n, 'names') : n));
  if (session) for (const [it, name] of names) session.label(keyOf(it), name);
  session?.label('incident', 'bundle.json');
  session?.label('report', 'report.md');
  return { items, included, session, names, warnings, meter };
}

function incidentText(i: IncidentDetail): string {
  return [i.title, i.notes, JSON.stringify(i.verdict ?? {}), ...i.artifacts.map((a) => a.name)].join('\n');
}

/** The incident as bundle.json describes it (redacted for public bundles). */
function incidentBlock(i: IncidentDetail, session: RedactionSession | null): BundleManifest['incident'] {
  const r = (s: string) => (session ? session.redactString(s, 'incident') : s);
  const verdict = i.verdict
    ? {
        ...i.verdict,
        title: r(i.verdict.title),
        faultingModule: i.verdict.faultingModule && r(i.verdict.faultingModule),
        signature: i.verdict.signature && r(i.verdict.signature),
        game: i.verdict.game && r(i.verdict.game),
        suspects: i.verdict.suspects.map((s) => ({ ...s, name: r(s.name), reason: r(s.reason) })),
      }
    : null;
  return {
    kind: i.kind,
    capturedAt: i.capturedAt,
    source: i.source,
    title: r(i.title),
    signature: i.signature && r(i.signature),
    verdict,
    ...(i.notes ? { notes: r(i.notes) } : {}),
  };
}

export function bundleFileName(i: IncidentDetail, preset: BundlePreset, now: Date): string {
  const t = i.capturedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15) || now.toISOString().slice(0, 10);
  return `ctd-bundle-${i.kind}-${t}-${preset}.zip`;
}

/** Redacts or copies each included artifact into the staging folder (or points at the original). */
async function stage(
  p: Prepared,
  req: BundleRequest,
  stageDir: string,
  ctl: RunControl,
  dryRun: boolean,
  samples?: Map<PlanItem, string[]>,
): Promise<Map<PlanItem, string>> {
  const out = new Map<PlanItem, string>();
  const s = p.session;
  for (const it of p.included) {
    ctl.signal?.throwIfAborted();
    const name = p.names.get(it)!;
    const key = keyOf(it);
    if (!s || it.treatment === 'copied') {
      out.set(it, it.artifact.path);
      continue;
    }
    const onBytes = (n: number) => p.meter.report(it.treatment === 'sanitized-dump' ? 'sanitize' : 'redact', name, n);
    const dest = join(stageDir, name);
    if (it.treatment === 'sanitized-dump') {
      const counter = s.counter(key, 'sanitized-dump');
      if (dryRun) {
        await sanitizeDump(it.artifact.path, null, s.engine, s.redactor, counter, key, {
          stacksOnly: req.stacksOnly,
          signal: ctl.signal,
          onBytes,
        });
        continue;
      }
      const res = await sanitizeDump(it.artifact.path, dest, s.engine, s.redactor, counter, key, {
        stacksOnly: req.stacksOnly,
        signal: ctl.signal,
        onBytes,
      });
      if (!res.parsed)
        p.warnings.push(`${name} is not a readable minidump: it was scrubbed byte by byte for known names and secrets.`);
      if (res.droppedRanges)
        p.warnings.push(`${name}: stacks only, ${res.droppedRanges} memory ranges (${res.droppedBytes} bytes) left out.`);
    } else {
      const counter = s.counter(key, 'redacted-text');
      let ws: WriteStream | null = null;
      if (!dryRun) ws = createWriteStream(dest);
      try {
        await textFilePass(it.artifact.path, {
          engine: s.engine,
          purpose: 'redact',
          learnedFrom: key,
          counter,
          tokenOf: s.tokenOf,
          signal: ctl.signal,
          onBytes,
          samples: samples ? (samples.get(it) ?? (samples.set(it, []), samples.get(it)!)) : undefined,
          write: ws
            ? (chunk) =>
                new Promise<void>((res, rej) => {
                  ws!.write(chunk, (e) => (e ? rej(e) : res()));
                })
            : undefined,
        });
      } finally {
        if (ws) await new Promise<void>((res) => ws!.end(() => res()));
      }
      if (dryRun) continue;
    }
    out.set(it, dest);
  }
  return out;
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

function hashing(onChunk: (n: number) => void): { stream: Transform; digest: () => { sha256: string; size: number } } {
  const h = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      size += chunk.length;
      onChunk(chunk.length);
      cb(null, chunk);
    },
  });
  let d: { sha256: string; size: number } | null = null;
  return { stream, digest: () => (d ??= { sha256: h.digest('hex'), size }) };
}

export interface WrittenBundle {
  path: string;
  size: number;
  sha256: string;
  manifest: BundleManifest;
}

export async function writeBundle(
  incident: IncidentDetail,
  req: BundleRequest,
  outPath: string,
  deps: BundleDeps,
  ctl: RunControl = {},
): Promise<WrittenBundle> {
  const now = deps.now?.() ?? new Date();
  const partial = join(dirname(outPath), `.${basename(outPath)}.partial-${randomBytes(6).toString('hex')}`);
  let stageDir: string | null = null;
  let zipOut: WriteStream | null = null;
  try {
    await mkdir(dirname(outPath), { recursive: true });
    const p = await prepare(incident, req, deps, ctl, true);
    const root = deps.stagingRoot ?? tmpdir();
    await mkdir(root, { recursive: true });
    stageDir = await mkdtemp(join(root, 'ctd-export-'));
    const staged = await stage(p, req, stageDir, ctl, false);
    const s = p.session;

    const entries: { it: PlanItem | null; name: string; path: string | null; size: number }[] = [];
    for (const it of p.included) {
      const path = staged.get(it)!;
      entries.push({ it, name: p.names.get(it)!, path, size: (await stat(path)).size });
    }
    const bundleName = basename(outPath);
    const excluded = p.items
      .filter((i) => !i.included)
      .map((i) => ({
        name: s ? s.redactString(i.artifact.name, 'names') : i.artifact.name,
        role: i.artifact.role,
        reason: i.note ?? 'left out',
      }));
    const notes = excluded.map((e) => `Left out ${e.name}: ${e.reason}`);
    const reportNow = s ? s.report(notes) : null;
    const md = reportMarkdown(
      incident,
      deps,
      entries.map((e) => ({ name: e.name, size: e.size, note: e.it?.note ?? undefined })),
      reportNow,
      p.warnings,
      bundleName,
    );
    const mdBytes = Buffer.from(`${s ? s.redactString(md.issue, 'report') : md.issue}\n${md.about}`, 'utf8');

    const zip = new yazl.ZipFile();
    zipOut = createWriteStream(partial);
    const finished = new Promise<void>((res, rej) => {
      zipOut!.on('close', () => res());
      zipOut!.on('error', rej);
      zip.outputStream.on('error', rej);
    });
    zip.outputStream.pipe(zipOut);
    const files: BundleFile[] = [];
    const mtime = now;
    const done: Promise<void>[] = [];
    for (const e of entries) {
      const it = e.it!;
      const level = e.size > FAST_DEFLATE_BYTES || it.kind === 'dump' ? 1 : 6;
      let resolveDone!: () => void;
      let rejectDone!: (err: Error) => void;
      done.push(
        new Promise<void>((res, rej) => {
          resolveDone = res;
          rejectDone = rej;
        }),
      );
      zip.addReadStreamLazy(e.name, { mtime, size: e.size, compressionLevel: level }, (cb) => {
        if (ctl.signal?.aborted) {
          rejectDone(new ExportCancelled());
          cb(new ExportCancelled(), createReadStream(e.path!));
          return;
        }
        const { stream, digest } = hashing((n) => p.meter.report('zip', e.name, n));
        const rs = createReadStream(e.path!, { highWaterMark: 1024 * 1024 });
        rs.on('error', (err) => rejectDone(err));
        stream.on('end', () => {
          const d = digest();
          files.push({ name: e.name, role: it.artifact.role, size: d.size, sha256: d.sha256, treatment: it.treatment! });
          resolveDone();
        });
        cb(null, rs.pipe(stream));
      });
    }
    zip.addBuffer(mdBytes, 'report.md', { mtime });
    const abort = new Promise<never>((_res, rej) => {
      if (ctl.signal?.aborted) rej(new ExportCancelled());
      ctl.signal?.addEventListener('abort', () => rej(new ExportCancelled()), { once: true });
    });
    await Promise.race([Promise.all(done), abort, finished.then(() => undefined)]);
    files.push({
      name: 'report.md',
      role: 'report',
      size: mdBytes.length,
      sha256: createHash('sha256').update(mdBytes).digest('hex'),
      treatment: 'generated',
    });
    files.sort((a, b) => entries.findIndex((x) => x.name === a.name) - entries.findIndex((x) => x.name === b.name));
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      format_version: BUNDLE_FORMAT_VERSION,
      app_version: deps.appVersion,
      created_at: now.toISOString(),
      preset: req.preset,
      redacted: req.preset === 'public',
      incident: incidentBlock(incident, s),
      files: [...files.filter((f) => f.name !== 'report.md'), files.find((f) => f.name === 'report.md')!],
      excluded,
      redaction: s ? s.report(notes) : null,
      warnings: p.warnings,
    };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), 'bundle.json', { mtime });
    zip.end();
    await Promise.race([finished, abort]);
    zipOut = null;
    ctl.signal?.throwIfAborted();
    await rename(partial, outPath);
    const st = await stat(outPath);
    return { path: outPath, size: st.size, sha256: await sha256File(outPath), manifest };
  } catch (e) {
    zipOut?.destroy();
    await unlink(partial).catch(() => undefined);
    if (ctl.signal?.aborted) throw new ExportCancelled();
    throw e;
  } finally {
    if (stageDir) await rm(stageDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (c) => h.update(c))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** What an export would do, without writing: counts per rule and file, redacted sample lines. */
export async function previewBundle(
  incident: IncidentDetail,
  req: BundleRequest,
  deps: BundleDeps,
  ctl: RunControl = {},
): Promise<BundlePreview> {
  const p = await prepare(incident, req, deps, ctl, false);
  const samples = new Map<PlanItem, string[]>();
  if (p.session) await stage(p, req, '', ctl, true, samples);
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
    warnings: p.warnings,
    totalBytes: p.included.reduce((t, i) => t + i.artifact.size, 0),
  };
}
