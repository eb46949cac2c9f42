import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import type { RawWaitChains, UserStream } from './addon';
import { PARTIAL_SUFFIX, writeFileAtomic } from './atomic-write';
import type { DumpProfile } from './dump-profile';
import { buildManualManifest, manifestText, type ManifestInput } from './manifest';
import { captureTimestamp, inDir, manualCaptureNames, type CaptureNames } from './naming';
import { buildWctJson, win32Name } from './wct-json';
import type { EtwProgress, EtwRecording, EtwResult, EtwWindowOptions, ManifestEtwStatus } from './wpr';

/** SkyrimDiag's user stream for the WCT JSON inside hang/manual dumps (§8). */
export const WCT_USER_STREAM = 0x15743;
/** SkyrimDiag takes two WCT passes 15 ms apart (§9.1). */
const WCT_PASS_GAP_MS = 15;

/** What the orchestrator needs from the platform; injected so it runs (and is tested) anywhere. */
export interface CaptureHelpers {
  writeDump(pid: number, path: string, profile: DumpProfile, userStreams: UserStream[]): Promise<unknown>;
  collectWaitChains(pid: number): Promise<RawWaitChains>;
  isAlive(pid: number): boolean;
  /** Start a bounded ETW window, or null when ETW is unavailable (then etwSeconds>0 = skipped with reason). */
  startEtw: ((opts: EtwWindowOptions) => EtwRecording) | null;
  /** Why ETW is unavailable, when startEtw is null. */
  etwUnavailable?: string;
}

export interface CaptureTimeouts {
  wctMs: number;
  dumpMs: number;
}

export const DEFAULT_TIMEOUTS: CaptureTimeouts = { wctMs: 10_000, dumpMs: 180_000 };

export interface CaptureRequest {
  pid: number;
  dumpProfile: DumpProfile;
  withWct: boolean;
  /** 0 = no ETW; else 1..30. */
  etwSeconds: number;
  etwProfile: string;
  trigger?: ManifestInput['trigger'];
}

export type CapturePhase = 'starting' | 'wct' | 'dump' | 'manifest' | 'etw' | 'done' | 'failed';

export interface CaptureProgress {
  phase: CapturePhase;
  message: string;
  etwRemainingSec: number | null;
  etwTotalSec: number | null;
}

export interface CaptureRunOptions {
  outDir: string;
  helpers: CaptureHelpers;
  timeouts?: Partial<CaptureTimeouts>;
  onProgress?: (p: CaptureProgress) => void;
  /** Called when files landed (after the manifest, and again after ETW rewrote it): index them. */
  onFilesWritten?: (dir: string, files: string[]) => Promise<void> | void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface CaptureOutcome {
  /** Dump and manifest were written. */
  ok: boolean;
  /** Something was saved but not everything asked for (e.g. WCT only; or ETW failed). */
  partial: boolean;
  message: string;
  ts: string;
  folder: string;
  files: { dump: string | null; wct: string | null; manifest: string | null; etl: string | null };
  wct: { status: 'ok' | 'failed' | 'skipped'; message: string | null };
  dump: { status: 'ok' | 'failed'; message: string | null; bytes: number | null };
  etw: { status: 'ok' | 'failed' | 'skipped'; manifestStatus: ManifestEtwStatus; message: string | null };
  processExited: boolean;
}

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`${what} did not finish within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function winError(e: unknown): number | null {
  const w = (e as { winError?: unknown } | null)?.winError;
  return typeof w === 'number' ? w : null;
}

/** Why the dump write failed, in words a tester can act on. */
export function explainDumpError(e: unknown, pid: number, alive: boolean): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const w = winError(e);
  if (code === 'ENOSPC' || w === 112 || w === 39 || /disk (is )?full|not enough space/i.test(errText(e)))
    return 'The disk is full: the dump could not be written (the partial file was deleted).';
  if (!alive) return `Process ${pid} exited during the capture: no dump was written.`;
  if (w === 5 || code === 'EACCES' || code === 'EPERM')
    return `No permission to read process ${pid} (access denied). Run the workbench as the same user as the game, or elevated.`;
  if (e instanceof TimeoutError) return `Writing the dump timed out: ${e.message}.`;
  return `Writing the dump failed: ${errText(e)}`;
}

/**
 * One manual capture of a running process: ETW start (in the background, never awaited before
 * the dump), WCT (bounded, failure tolerated), the dump (temp file + rename), the manifest, then
 * the end of the ETW window and a manifest rewrite with the final ETW status. Files use
 * SkyrimDiag's names so its own tools read them; nothing half-written keeps a real name.
 */
export async function runManualCapture(req: CaptureRequest, o: CaptureRunOptions): Promise<CaptureOutcome> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const h = o.helpers;
  const names: CaptureNames = manualCaptureNames(captureTimestamp((o.now ?? (() => new Date()))()));
  const paths = inDir(o.outDir, names);
  let etwRemaining: number | null = null;
  let etwTotal: number | null = null;
  const progress = (phase: CapturePhase, message: string): void =>
    o.onProgress?.({ phase, message, etwRemainingSec: etwRemaining, etwTotalSec: etwTotal });

  const out: CaptureOutcome = {
    ok: false,
    partial: false,
    message: '',
    ts: names.ts,
    folder: o.outDir,
    files: { dump: null, wct: null, manifest: null, etl: null },
    wct: { status: 'skipped', message: null },
    dump: { status: 'failed', message: null, bytes: null },
    etw: { status: 'skipped', manifestStatus: 'disabled', message: null },
    processExited: false,
  };

  if (!h.isAlive(req.pid)) {
    out.message = `No running process with id ${req.pid}.`;
    out.dump.message = out.message;
    out.processExited = true;
    progress('failed', out.message);
    return out;
  }
  mkdirSync(o.outDir, { recursive: true });

  // 1. ETW: started first so the window covers the capture, but nothing below waits for it.
  let etw: EtwRecording | null = null;
  let etwState: 'pending' | 'recording' | 'start_failed' = 'pending';
  const etwRequested = req.etwSeconds > 0 && !o.signal?.aborted;
  if (etwRequested) {
    if (!h.startEtw) {
      out.etw.message = h.etwUnavailable ?? 'ETW capture is not available here.';
    } else {
      try {
        etw = h.startEtw({
          profile: req.etwProfile,
          seconds: req.etwSeconds,
          etlPath: paths.etl,
          signal: o.signal,
          onProgress: (p: EtwProgress) => {
            etwTotal = p.totalSec;
            etwRemaining = p.phase === 'recording' ? p.remainingSec : etwRemaining;
            if (p.phase === 'recording') progress('etw', `Recording ETW: ${p.remainingSec} s left`);
          },
        });
        void etw.started.then((s) => (etwState = s ? 'recording' : 'start_failed'));
      } catch (e) {
        etwState = 'start_failed';
        out.etw = { status: 'failed', manifestStatus: 'start_failed', message: errText(e) };
      }
    }
  }

  // 2. WCT: two passes; any failure or timeout only costs the WCT, never the dump.
  let wctJson: string | null = null;
  if (req.withWct) {
    progress('wct', 'Reading wait chains');
    const wct = await readWaitChains(req.pid, h, timeouts.wctMs);
    wctJson = wct.json;
    out.wct = wct.result;
  }

  // 3. The dump, into a temp name; renamed only once complete.
  progress('dump', `Writing ${req.dumpProfile} dump`);
  const tmpDump = paths.dump + PARTIAL_SUFFIX;
  const streams: UserStream[] =
    wctJson && out.wct.status === 'ok' ? [{ type: WCT_USER_STREAM, data: Buffer.from(wctJson, 'utf8') }] : [];
  const dumped = await writeDumpFile(req, h, tmpDump, paths.dump, streams, timeouts.dumpMs);
  out.dump = dumped.dump;
  if (out.dump.status === 'ok') out.files.dump = paths.dump;
  else out.processExited = dumped.processExited;

  // 4. WCT file: complete on its own, so kept even when the dump failed.
  if (wctJson !== null) {
    try {
      writeFileAtomic(paths.wct, wctJson);
      out.files.wct = paths.wct;
    } catch (e) {
      out.wct = { status: 'failed', message: `Could not write the WCT file: ${errText(e)}` };
    }
  }

  const writeManifest = (result: EtwResult | null): void => {
    const status: ManifestEtwStatus = result
      ? result.manifestStatus
      : out.etw.manifestStatus === 'start_failed' || etwState === 'start_failed'
        ? 'start_failed'
        : etw
          ? 'recording'
          : etwRequested
            ? 'start_failed'
            : 'disabled';
    const manifest = buildManualManifest({
      names,
      pid: req.pid,
      dumpProfile: req.dumpProfile,
      wctWritten: out.files.wct !== null,
      etw: { requested: etwRequested, status, result, profile: etwRequested ? req.etwProfile : null },
      trigger: req.trigger ?? 'workbench_ui',
    });
    writeFileAtomic(paths.manifest, manifestText(manifest));
    out.files.manifest = paths.manifest;
  };

  // 5. Manifest only with a dump (like the helper); written now so the incident opens at once.
  if (out.dump.status === 'ok') {
    progress('manifest', 'Writing the incident manifest');
    try {
      writeManifest(null);
    } catch (e) {
      out.dump.message = `The dump was written but the manifest could not be: ${errText(e)}`;
    }
  }
  const written = [out.files.dump, out.files.wct, out.files.manifest].filter((f): f is string => !!f);
  if (written.length) await o.onFilesWritten?.(o.outDir, written);

  // 6. The rest of the ETW window, then the final status into the manifest.
  if (etw) {
    if (out.dump.status !== 'ok' && !out.files.wct) etw.cancel();
    const r = await etw.done;
    out.etw = { status: r.outcome, manifestStatus: r.manifestStatus, message: r.message };
    if (r.outcome === 'ok') out.files.etl = paths.etl;
    etwRemaining = 0;
    if (out.files.manifest) {
      try {
        writeManifest(r);
      } catch (e) {
        out.etw.message = `${out.etw.message ?? ''} The manifest could not be updated: ${errText(e)}`.trim();
      }
    }
    const again = [out.files.etl, out.files.manifest].filter((f): f is string => !!f);
    if (again.length) await o.onFilesWritten?.(o.outDir, again);
  } else if (etwRequested && out.etw.status === 'skipped' && out.etw.message) {
    out.etw.status = 'skipped';
  }

  summarise(out, req, names, etwRequested);
  progress(out.ok ? 'done' : 'failed', out.message);
  return out;
}

/**
 * Two WCT passes 15 ms apart, as SkyrimDiag takes them, into its JSON document. A failure or a
 * timeout only costs the wait chains (the document then says why); it never throws.
 */
async function readWaitChains(
  pid: number,
  h: CaptureHelpers,
  timeoutMs: number,
): Promise<{ json: string; result: CaptureOutcome['wct'] }> {
  const passes: (RawWaitChains | null)[] = [];
  let failure: string | null = null;
  for (let i = 0; i < 2; i++) {
    try {
      passes.push(await withTimeout(h.collectWaitChains(pid), timeoutMs, 'Wait Chain Traversal'));
    } catch (e) {
      passes.push(null);
      failure = errText(e);
      const w = winError(e);
      if (w !== null) failure = `${win32Name(w)}: ${failure}`;
      if (e instanceof TimeoutError) break;
    }
    if (i === 0) await sleep(WCT_PASS_GAP_MS);
  }
  const doc = buildWctJson(pid, passes, failure);
  const result: CaptureOutcome['wct'] =
    doc.error === 'capture_failed'
      ? { status: 'failed', message: `Wait chains unavailable: ${String(doc.reason)}` }
      : { status: 'ok', message: null };
  return { json: JSON.stringify(doc, null, 2), result };
}

/**
 * The dump, written under a temporary name and renamed to `path` only once complete; a failed,
 * empty or timed-out write leaves no file behind (a native write that is still running has its
 * file removed when it ends).
 */
async function writeDumpFile(
  req: CaptureRequest,
  h: CaptureHelpers,
  tmpDump: string,
  path: string,
  streams: UserStream[],
  timeoutMs: number,
): Promise<{ dump: CaptureOutcome['dump']; processExited: boolean }> {
  const dumpWrite = h.writeDump(req.pid, tmpDump, req.dumpProfile, streams);
  try {
    await withTimeout(dumpWrite, timeoutMs, 'MiniDumpWriteDump');
    const size = existsSync(tmpDump) ? statSync(tmpDump).size : 0;
    if (size < 32) throw new Error('the dump file is empty or truncated');
    renameSync(tmpDump, path);
    return { dump: { status: 'ok', message: null, bytes: size }, processExited: false };
  } catch (e) {
    const alive = h.isAlive(req.pid);
    rmSync(tmpDump, { force: true });
    void dumpWrite.then(
      () => rmSync(tmpDump, { force: true }),
      () => rmSync(tmpDump, { force: true }),
    );
    return {
      dump: { status: 'failed', message: explainDumpError(e, req.pid, alive), bytes: null },
      processExited: !alive,
    };
  }
}

/** The outcome's verdict: ok with what is missing, or why not and what was saved anyway. */
function summarise(
  out: CaptureOutcome,
  req: CaptureRequest,
  names: CaptureNames,
  etwRequested: boolean,
): void {
  out.ok = out.dump.status === 'ok' && out.files.manifest !== null;
  const missing: string[] = [];
  if (req.withWct && out.wct.status !== 'ok') missing.push(out.wct.message ?? 'WCT failed');
  if (etwRequested && out.etw.status !== 'ok')
    missing.push(`ETW: ${out.etw.message ?? out.etw.manifestStatus}`);
  if (out.ok) {
    out.partial = missing.length > 0;
    out.message = `Captured process ${req.pid}: ${names.dump}${missing.length ? ` (without: ${missing.join('; ')})` : ''}.`;
  } else {
    out.partial = out.files.wct !== null;
    out.message =
      (out.dump.message ?? 'The dump was not written.') +
      (out.files.wct ? ` Saved what was captured before that: ${names.wct}.` : '');
  }
}
