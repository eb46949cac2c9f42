import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import pkg from '../../../../package.json';
import type { Handlers } from '../../../shared/contract/index';
import type { ExportOptions, ImportResult, RedactionSettings } from '../../../shared/contract/bundle';
import { MAX_UPLOAD_BYTES, TRANSFER_CHUNK_BYTES } from '../../../shared/contract/bundle';
import { BundleManifest } from '../../../shared/domain/bundle';
import type { IncidentDetail } from '../../../shared/domain/incident';
import type { WorkbenchContext } from '../../context';
import { BadRequestError, NotFoundError } from '../../dispatch-errors';
import { requireAllowedPath } from '../../sources/path-check';
import { userPathPolicy } from '../path-policy';
import { localIdentities, type LocalIdentity } from '../../privacy/identities';
import { loadRules } from '../../privacy/rules';
import { incidentIdFor } from '../../sources/group';
import { importBundle } from '../../export/bundle-reader';
import {
  bundleFileName,
  cleanStaleExports,
  previewBundle,
  writeBundle,
  type BundleDeps,
} from '../../export/bundle-writer';
import { issueReport } from '../../export/issue';
import { parseJsonText } from '../../../shared/text';

type BundleHandlers = Pick<
  Handlers,
  | 'bundle:preview'
  | 'bundle:saveDialog'
  | 'bundle:export'
  | 'bundle:cancel'
  | 'bundle:download'
  | 'bundle:importFile'
  | 'bundle:uploadBegin'
  | 'bundle:uploadChunk'
  | 'bundle:uploadEnd'
  | 'bundle:uploadAbort'
  | 'bundle:info'
  | 'bundle:issue'
  | 'bundle:settings'
  | 'bundle:setSettings'
>;

export const EXTRA_WORDS_KEY = 'redaction.extraWords';
const MAX_UPLOADS = 4;
const UPLOAD_IDLE_MS = 10 * 60_000;

export interface BundleServiceOptions {
  /** Identities of "this computer" (tests pin them; default: os.userInfo, hostname, env). */
  local?: LocalIdentity[];
  appVersion?: string;
}

export function bundleDeps(
  ctx: WorkbenchContext,
  o: BundleServiceOptions = {},
): BundleDeps & { ruleErrors: string[] } {
  const { set, errors } = loadRules(rulesDir(ctx));
  return {
    appVersion: o.appVersion ?? pkg.version,
    rules: set,
    ruleErrors: errors,
    local: o.local ?? localIdentities(),
    extraWords: ctx.store.getSetting<string[]>(EXTRA_WORDS_KEY, []),
    facts: (id) => ctx.store.getFacts(id)?.facts ?? null,
    stagingRoot: join(ctx.dataDir, 'tmp'),
  };
}

function rulesDir(ctx: WorkbenchContext): string {
  return join(ctx.dataDir, 'redaction');
}

export function exportsDir(ctx: WorkbenchContext): string {
  return join(ctx.dataDir, 'exports');
}

function incidentOrThrow(ctx: WorkbenchContext, id: string): IncidentDetail {
  const d = ctx.store.get(id);
  if (!d) throw new NotFoundError(`No incident ${id}`);
  return d;
}

function request(o: ExportOptions) {
  return { preset: o.preset, artifactIds: o.artifactIds, includeEtl: o.includeEtl, stacksOnly: o.stacksOnly };
}

/**
 * What a killed export left (hidden .partial zips, staging folders), swept once the workbench is
 * up. Called by workbench.ts, not by the handler factory, which must not touch the context.
 */
export async function sweepStaleExports(ctx: WorkbenchContext): Promise<void> {
  await cleanStaleExports(exportsDir(ctx));
  await cleanStaleExports(join(ctx.dataDir, 'tmp'));
}

/**
 * Imports a verified bundle folder into the index and names the incident it became. A new
 * import takes the sender's triage status and notes from bundle.json (kept in the triage
 * sidecar, so a rebuilt index keeps them too); a re-import leaves the local triage alone.
 */
export async function importAndIndex(ctx: WorkbenchContext, zipPath: string): Promise<ImportResult> {
  const r = await importBundle(zipPath, ctx.dirs.imports);
  await ctx.sources.scanFolder(ctx.dirs.imports);
  const id = incidentIdFor(`bundle:${r.dir}`);
  const incident = ctx.store.get(id);
  const sent = r.manifest.incident;
  if (incident && !r.alreadyImported && (sent.status || sent.notes))
    ctx.store.setStatus(id, sent.status ?? incident.status, sent.notes ?? incident.notes);
  return {
    incidentId: incident ? id : null,
    dir: r.dir,
    alreadyImported: r.alreadyImported,
    manifest: r.manifest,
    files: r.manifest.files.length + 1,
    warnings: r.warnings,
  };
}

/** `name` in the exports folder, or `name-2.zip`, `name-3.zip`…: an export never replaces a file. */
async function freeExportPath(ctx: WorkbenchContext, name: string): Promise<string> {
  const dir = exportsDir(ctx);
  await mkdir(dir, { recursive: true });
  const stem = name.replace(/\.zip$/i, '');
  for (let i = 1; ; i++) {
    const p = join(dir, i === 1 ? name : `${stem}-${i}.zip`);
    try {
      await stat(p);
    } catch {
      return p;
    }
  }
}

interface Upload {
  path: string;
  size: number;
  received: number;
  stream: WriteStream;
  timer: ReturnType<typeof setTimeout>;
}

export function bundleHandlers(ctx: WorkbenchContext, o: BundleServiceOptions = {}): BundleHandlers {
  const jobs = new Map<string, AbortController>();
  const previews = new Map<string, AbortController>();
  const uploads = new Map<string, Upload>();
  // Computed on use: factories must not touch the context while the handler table is built.
  const uploadDir = () => join(ctx.dirs.imports, '.uploads');
  const dropUpload = async (id: string) => {
    const u = uploads.get(id);
    if (!u) return false;
    uploads.delete(id);
    clearTimeout(u.timer);
    await new Promise<void>((res) => u.stream.end(() => res()));
    await rm(u.path, { force: true });
    return true;
  };
  const touch = (id: string, u: Upload) => {
    clearTimeout(u.timer);
    u.timer = setTimeout(() => void dropUpload(id), UPLOAD_IDLE_MS);
    u.timer.unref?.();
  };

  const settings = (): RedactionSettings => {
    const { set, errors } = loadRules(rulesDir(ctx));
    return {
      extraWords: ctx.store.getSetting<string[]>(EXTRA_WORDS_KEY, []),
      rulesDir: rulesDir(ctx),
      ruleSets: set.names,
      ruleErrors: errors,
    };
  };

  return {
    'bundle:preview': async (req) => {
      // A newer preview of the same incident (an option was toggled) replaces the running one.
      previews.get(req.incidentId)?.abort();
      const ac = new AbortController();
      previews.set(req.incidentId, ac);
      try {
        return await previewBundle(incidentOrThrow(ctx, req.incidentId), request(req), bundleDeps(ctx, o), {
          signal: ac.signal,
        });
      } finally {
        if (previews.get(req.incidentId) === ac) previews.delete(req.incidentId);
      }
    },

    'bundle:saveDialog': () => null,

    'bundle:export': async (req) => {
      if (jobs.has(req.jobId)) throw new BadRequestError(`Export ${req.jobId} is already running`);
      const incident = incidentOrThrow(ctx, req.incidentId);
      const started = performance.now();
      // The user's choice in the save dialog, or a fresh name in the exports folder (to download).
      const chosen = req.saveToken ? ctx.grants.takeSave(req.saveToken) : null;
      if (req.saveToken && !chosen)
        throw new BadRequestError(
          'That save destination has expired; choose where to save the bundle again.',
        );
      // Registered before the first await, so a cancel that follows at once finds the job.
      const ac = new AbortController();
      jobs.set(req.jobId, ac);
      try {
        const outPath =
          chosen ?? (await freeExportPath(ctx, bundleFileName(incident, req.preset, new Date())));
        const fileName = basename(outPath);
        const r = await writeBundle(
          incident,
          request(req),
          outPath,
          bundleDeps(ctx, o),
          {
            signal: ac.signal,
            onProgress: (p) => ctx.emit('bundle:progress', { jobId: req.jobId, ...p }),
          },
          // A dialog asked before replacing a file; the exports folder never replaces one.
          { createDir: !chosen, overwrite: !!chosen },
        );
        ctx.emit('bundle:progress', {
          jobId: req.jobId,
          phase: 'done',
          bytesDone: 1,
          bytesTotal: 1,
          file: null,
          message: `Wrote ${fileName}`,
        });
        return {
          jobId: req.jobId,
          exportId: chosen ? null : fileName.replace(/\.zip$/i, ''),
          path: r.path,
          fileName,
          size: r.size,
          sha256: r.sha256,
          manifest: r.manifest,
          entries: r.manifest.files.length + 1,
          durationMs: performance.now() - started,
        };
      } catch (e) {
        const cancelled = ac.signal.aborted;
        ctx.emit('bundle:progress', {
          jobId: req.jobId,
          phase: cancelled ? 'cancelled' : 'failed',
          bytesDone: 0,
          bytesTotal: 0,
          file: null,
          message: cancelled ? 'Export cancelled; nothing was written.' : (e as Error).message,
        });
        throw e;
      } finally {
        jobs.delete(req.jobId);
      }
    },

    'bundle:cancel': ({ jobId }) => {
      const ac = jobs.get(jobId);
      ac?.abort();
      return { cancelled: !!ac };
    },

    'bundle:download': async ({ exportId, offset, length }) => {
      const path = join(exportsDir(ctx), `${exportId}.zip`);
      let fh;
      try {
        fh = await open(path, 'r');
      } catch {
        throw new NotFoundError(`No exported bundle ${exportId}`);
      }
      try {
        const size = (await fh.stat()).size;
        const n = Math.max(0, Math.min(length, TRANSFER_CHUNK_BYTES, size - offset));
        const buf = Buffer.alloc(n);
        if (n > 0) await fh.read(buf, 0, n, offset);
        return { data: buf.toString('base64'), size, done: offset + n >= size };
      } finally {
        await fh.close();
      }
    },

    'bundle:importFile': async ({ path }) =>
      importAndIndex(ctx, requireAllowedPath(path, userPathPolicy(ctx), 'The bundle')),

    'bundle:uploadBegin': async ({ name, size }) => {
      if (!/\.zip$/i.test(name)) throw new BadRequestError('Only .zip bundles can be imported');
      if (size > MAX_UPLOAD_BYTES) throw new BadRequestError('Bundle is too large to upload');
      if (uploads.size >= MAX_UPLOADS)
        throw new BadRequestError('Too many uploads at once; wait for one to finish');
      await mkdir(uploadDir(), { recursive: true });
      const id = randomBytes(12).toString('hex');
      const path = join(uploadDir(), `${id}.zip`);
      const stream = createWriteStream(path, { flags: 'wx' });
      await new Promise<void>((res, rej) => {
        stream.once('open', () => res());
        stream.once('error', rej);
      });
      const u: Upload = { path, size, received: 0, stream, timer: setTimeout(() => undefined, 0) };
      uploads.set(id, u);
      touch(id, u);
      return { uploadId: id };
    },

    'bundle:uploadChunk': async ({ uploadId, offset, data }) => {
      const u = uploads.get(uploadId);
      if (!u) throw new NotFoundError('Unknown or expired upload');
      if (offset !== u.received) throw new BadRequestError(`Chunk at ${offset}, expected ${u.received}`);
      const bytes = Buffer.from(data, 'base64');
      if (bytes.length > TRANSFER_CHUNK_BYTES || u.received + bytes.length > u.size) {
        await dropUpload(uploadId);
        throw new BadRequestError('Upload is larger than announced');
      }
      await new Promise<void>((res, rej) => u.stream.write(bytes, (e) => (e ? rej(e) : res())));
      u.received += bytes.length;
      touch(uploadId, u);
      return { received: u.received };
    },

    'bundle:uploadEnd': async ({ uploadId }) => {
      const u = uploads.get(uploadId);
      if (!u) throw new NotFoundError('Unknown or expired upload');
      if (u.received !== u.size) {
        await dropUpload(uploadId);
        throw new BadRequestError(`Upload incomplete (${u.received} of ${u.size} bytes)`);
      }
      uploads.delete(uploadId);
      clearTimeout(u.timer);
      await new Promise<void>((res) => u.stream.end(() => res()));
      try {
        return await importAndIndex(ctx, u.path);
      } finally {
        await rm(u.path, { force: true });
      }
    },

    'bundle:uploadAbort': async ({ uploadId }) => ({ ok: await dropUpload(uploadId) }),

    'bundle:info': async ({ incidentId }) => {
      const d = ctx.store.get(incidentId);
      const a = d?.artifacts.find((x) => x.role === 'bundle');
      if (!d || !a) return null;
      const parsed = BundleManifest.safeParse(parseJsonText(await readFile(a.path, 'utf8')));
      if (!parsed.success) return null;
      const listed = new Set([...parsed.data.files.map((f) => f.name), 'bundle.json']);
      const present = await readdir(dirname(a.path)).catch(() => [] as string[]);
      return { incidentId, manifest: parsed.data, extraFiles: present.filter((n) => !listed.has(n)) };
    },

    'bundle:issue': async ({ incidentId, redact }) => {
      const d = incidentOrThrow(ctx, incidentId);
      // Causes the player confirmed for this crash go into the report (docs/SIGNATURES.md).
      const confirmed = ctx.store.causes.matching(d.signature, d.culpritKey ?? null);
      return issueReport(d, bundleDeps(ctx, o), redact, undefined, { confirmed });
    },

    'bundle:settings': () => settings(),

    'bundle:setSettings': ({ extraWords }) => {
      const clean = [...new Set(extraWords.map((w) => w.trim()).filter(Boolean))];
      ctx.store.setSetting(EXTRA_WORDS_KEY, clean);
      return settings();
    },
  };
}
