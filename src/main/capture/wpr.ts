import { existsSync, lstatSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { runBounded, type BoundedResult } from './run-bounded';

/**
 * ETW capture through wpr.exe, the way SkyrimDiag's helper drives it (skyrimdiag-artifacts.md §7):
 * `-start <profile> -filemode`, `-stop <etl>`, `-cancel`; each call a hidden, time-limited child.
 * Unlike the helper we also use `-status`, to find a session a previous run left behind.
 */

export const BUILTIN_PROFILES = ['GeneralProfile', 'CPU', 'DiskIO', 'FileIO'] as const;
export const DEFAULT_PROFILE = 'GeneralProfile';
export const MIN_WINDOW_SEC = 1;
export const MAX_WINDOW_SEC = 30;
export const DEFAULT_WINDOW_SEC = 8;
/** Per wpr call. Stopping a GeneralProfile trace merges and can take a while on a busy machine. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const STOP_ATTEMPTS = 3;

export type WprErrorCode =
  | 'wpr_missing'
  | 'not_admin'
  | 'already_running'
  | 'not_running'
  | 'timeout'
  | 'failed'
  | 'bad_profile'
  | 'bad_window'
  | 'etl_invalid';

export class WprError extends Error {
  override readonly name = 'WprError';
  constructor(
    readonly code: WprErrorCode,
    message: string,
    readonly exitCode: number | null = null,
    readonly output = '',
  ) {
    super(message);
  }
}

export const WPR_MESSAGES: Record<WprErrorCode, string> = {
  wpr_missing: 'wpr.exe was not found (it ships with Windows 10 and later in System32). ETW capture is off.',
  not_admin: 'wpr.exe needs administrator rights to record ETW. Run the workbench elevated or skip ETW.',
  already_running:
    'An ETW trace session is already running (probably left over from an earlier capture). Cancel it and retry.',
  not_running: 'No ETW trace session is running.',
  timeout: 'wpr.exe did not answer in time and was stopped.',
  failed: 'wpr.exe failed.',
  bad_profile:
    'Unknown ETW profile: use GeneralProfile, CPU, DiskIO, FileIO or an absolute path to a .wprp file.',
  bad_window: `The ETW window must be ${MIN_WINDOW_SEC}..${MAX_WINDOW_SEC} seconds.`,
  etl_invalid: 'wpr.exe reported success but no new, non-empty .etl file was written.',
};

/** How to run wpr. `prefixArgs` lets tests run the fake through `node`. */
export interface WprConfig {
  exe: string;
  prefixArgs?: readonly string[];
  /** SkyrimDiag runs wpr with the output folder as working directory; so do we. */
  cwd: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Where wpr.exe is: an explicit setting wins (CTD_WPR_EXE for tests and odd installs), otherwise
 * `%SystemRoot%\System32\wpr.exe` on Windows, never a PATH search (same rule as the helper).
 */
export function resolveWprExe(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const explicit = configured ?? env.CTD_WPR_EXE;
  if (explicit) return explicit;
  if (platform !== 'win32') return null;
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return join(root, 'System32', 'wpr.exe');
}

export function validateProfile(profile: string): string {
  const builtin = BUILTIN_PROFILES.find((p) => p.toLowerCase() === profile.toLowerCase());
  if (builtin) return builtin;
  if (/\.wprp$/i.test(profile) && isAbsolute(profile) && existsSync(profile)) return profile;
  throw new WprError('bad_profile', `${WPR_MESSAGES.bad_profile} Got: ${profile}`);
}

export function validateWindow(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < MIN_WINDOW_SEC || seconds > MAX_WINDOW_SEC)
    throw new WprError('bad_window', `${WPR_MESSAGES.bad_window} Got: ${seconds}`);
  return seconds;
}

// wpr exits with an HRESULT; its text is the more stable signal across versions, so both count.
const HR_ALREADY_RUNNING = 0xc5583001;
const HR_NOT_RUNNING = 0xc5583000;
const HR_ACCESS_DENIED = 0x80070005;

function hasCode(r: BoundedResult, hr: number): boolean {
  return r.code !== null && (r.code >>> 0 === hr || r.code === (hr | 0));
}

export function classifyFailure(r: BoundedResult): WprError {
  const output = `${r.stdout}\n${r.stderr}`.trim();
  const msg = (code: WprErrorCode): WprError =>
    new WprError(
      code,
      output ? `${WPR_MESSAGES[code]} (${lastLine(output)})` : WPR_MESSAGES[code],
      r.code,
      output,
    );
  if (r.spawnError) {
    if (r.spawnError.code === 'ENOENT') return new WprError('wpr_missing', WPR_MESSAGES.wpr_missing);
    if (r.spawnError.code === 'EACCES' || r.spawnError.code === 'EPERM') return msg('not_admin');
    return new WprError('failed', `${WPR_MESSAGES.failed} ${r.spawnError.message}`);
  }
  if (r.timedOut) return msg('timeout');
  if (hasCode(r, HR_ALREADY_RUNNING) || /already running|0xc5583001/i.test(output))
    return msg('already_running');
  if (hasCode(r, HR_NOT_RUNNING) || /no trace profiles? (are )?running|0xc5583000/i.test(output))
    return msg('not_running');
  if (
    hasCode(r, HR_ACCESS_DENIED) ||
    /administrator|elevat|access is denied|0x80070005|privilege/i.test(output)
  )
    return msg('not_admin');
  return new WprError(
    'failed',
    `${WPR_MESSAGES.failed} Exit code ${r.code}${output ? `: ${lastLine(output)}` : ''}`,
    r.code,
    output,
  );
}

function lastLine(s: string): string {
  const lines = s.split(/\r?\n/).filter((l) => l.trim());
  return (lines[lines.length - 1] ?? '').trim().slice(0, 300);
}

export class Wpr {
  constructor(private readonly cfg: WprConfig) {}

  private async call(args: string[]): Promise<BoundedResult> {
    const r = await runBounded(this.cfg.exe, [...(this.cfg.prefixArgs ?? []), ...args], {
      cwd: this.cfg.cwd,
      timeoutMs: this.cfg.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      env: this.cfg.env,
    });
    if (r.code !== 0 || r.timedOut || r.spawnError) throw classifyFailure(r);
    return r;
  }

  async start(profile: string): Promise<void> {
    await this.call(['-start', validateProfile(profile), '-filemode']);
  }

  async stop(etlPath: string): Promise<void> {
    await this.call(['-stop', etlPath]);
  }

  async cancel(): Promise<void> {
    await this.call(['-cancel']);
  }

  /** Whether a WPR session is recording now (ours or a stale one from an earlier run). */
  async status(): Promise<{ recording: boolean; text: string }> {
    const r = await this.call(['-status']);
    const text = r.stdout.trim();
    const recording = !/not recording|no trace profiles? (are )?running|no recording/i.test(text);
    return { recording: recording && /recording|in progress|running/i.test(text), text };
  }
}

/** §4 `artifacts.etw_status` values we can produce (crash-only `stop_retry_pending` never applies). */
export type ManifestEtwStatus =
  | 'disabled'
  | 'start_failed'
  | 'recording'
  | 'written'
  | 'cancelled_after_stop_failure'
  | 'cleanup_unconfirmed';

export interface EtwResult {
  /** ok: trace written; failed: nothing usable; skipped: not requested or cancelled by the user. */
  outcome: 'ok' | 'failed' | 'skipped';
  manifestStatus: ManifestEtwStatus;
  /** Set once recording started (kept after a failure, like the helper does). */
  etlPath: string | null;
  errorCode: WprErrorCode | 'cancelled' | null;
  message: string | null;
  /** True if after everything a session might still be running (cancel unconfirmed). */
  sessionLeftRunning: boolean;
}

export interface EtwProgress {
  phase: 'starting' | 'recording' | 'stopping' | 'cancelling' | 'done';
  remainingSec: number;
  totalSec: number;
}

export interface EtwWindowOptions {
  profile?: string;
  seconds?: number;
  etlPath: string;
  onProgress?: (p: EtwProgress) => void;
  /** Aborting ends the window early and cancels the session (app exit, user cancel). */
  signal?: AbortSignal;
  /** Length of one countdown second; tests shorten it. */
  tickMs?: number;
}

export interface EtwRecording {
  /** Resolves once `-start` returned: true = recording. */
  readonly started: Promise<boolean>;
  readonly done: Promise<EtwResult>;
  /** End now: cancel the session, no trace kept. */
  cancel(): void;
}

interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

function identity(path: string): FileIdentity | null {
  try {
    const s = lstatSync(path);
    return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

/** Accept the trace only if it is a new, regular, non-empty file (§7 stop validation). */
export function validateEtl(path: string, before: FileIdentity | null): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    throw new WprError('etl_invalid', `${WPR_MESSAGES.etl_invalid} (${path} is missing)`);
  }
  if (!st.isFile()) throw new WprError('etl_invalid', `${WPR_MESSAGES.etl_invalid} (not a regular file)`);
  if (st.size === 0) throw new WprError('etl_invalid', `${WPR_MESSAGES.etl_invalid} (empty file)`);
  const after = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  if (
    before &&
    before.dev === after.dev &&
    before.ino === after.ino &&
    before.size === after.size &&
    before.mtimeMs === after.mtimeMs
  )
    throw new WprError('etl_invalid', `${WPR_MESSAGES.etl_invalid} (the file was not rewritten)`);
}

const active = new Set<EtwRecording>();

/** For app exit: cancel every recording still running so no trace session outlives the app. */
export async function cancelActiveEtw(): Promise<void> {
  const all = [...active];
  for (const r of all) r.cancel();
  await Promise.allSettled(all.map((r) => r.done));
}

export function activeEtwCount(): number {
  return active.size;
}

function asWprError(e: unknown): WprError {
  return e instanceof WprError ? e : new WprError('failed', e instanceof Error ? e.message : String(e));
}

/**
 * Record one bounded ETW window: start, count down, stop into `etlPath`, validate. Any failure
 * after a successful start ends in `-cancel`, so a session is never left running by us.
 */
export function recordEtwWindow(wpr: Wpr, opts: EtwWindowOptions): EtwRecording {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const total = validateWindow(opts.seconds ?? DEFAULT_WINDOW_SEC);
  validateProfile(profile);
  const local = new AbortController();
  const onOuterAbort = (): void => local.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) local.abort();
  const progress = (phase: EtwProgress['phase'], remainingSec: number): void =>
    opts.onProgress?.({ phase, remainingSec, totalSec: total });

  let markStarted: (v: boolean) => void = () => undefined;
  const started = new Promise<boolean>((r) => (markStarted = r));

  const cleanup = async (
    base: Omit<EtwResult, 'sessionLeftRunning' | 'manifestStatus'>,
    failedStop: boolean,
  ) => {
    progress('cancelling', 0);
    try {
      await wpr.cancel();
      return {
        ...base,
        manifestStatus: failedStop ? 'cancelled_after_stop_failure' : 'disabled',
        sessionLeftRunning: false,
      } satisfies EtwResult;
    } catch (e) {
      const err = asWprError(e);
      // Cancel answering "nothing running" means the session is gone, which is what we wanted.
      const gone = err.code === 'not_running';
      return {
        ...base,
        manifestStatus: gone
          ? failedStop
            ? 'cancelled_after_stop_failure'
            : 'disabled'
          : 'cleanup_unconfirmed',
        message: gone ? base.message : `${base.message ?? ''} Cancel failed too: ${err.message}`.trim(),
        sessionLeftRunning: !gone,
      } satisfies EtwResult;
    }
  };

  const run = async (): Promise<EtwResult> => {
    progress('starting', total);
    if (local.signal.aborted) {
      markStarted(false);
      return {
        outcome: 'skipped',
        manifestStatus: 'disabled',
        etlPath: null,
        errorCode: 'cancelled',
        message: 'ETW capture cancelled.',
        sessionLeftRunning: false,
      };
    }
    try {
      await wpr.start(profile);
    } catch (e) {
      const err = asWprError(e);
      markStarted(false);
      // A start that timed out may still have started a session: cancel to be sure.
      if (err.code === 'timeout')
        return cleanup(
          { outcome: 'failed', etlPath: null, errorCode: err.code, message: err.message },
          false,
        ).then((r) => ({
          ...r,
          manifestStatus: r.sessionLeftRunning ? 'cleanup_unconfirmed' : 'start_failed',
        }));
      return {
        outcome: 'failed',
        manifestStatus: 'start_failed',
        etlPath: null,
        errorCode: err.code,
        message: err.message,
        sessionLeftRunning: false,
      };
    }
    markStarted(true);
    const before = identity(opts.etlPath);
    const cancelled = await countdown(total, opts.tickMs ?? 1000, local.signal, (s) =>
      progress('recording', s),
    );
    if (cancelled)
      return cleanup(
        {
          outcome: 'skipped',
          etlPath: null,
          errorCode: 'cancelled',
          message: 'ETW capture cancelled; the trace was discarded.',
        },
        false,
      );
    progress('stopping', 0);
    let lastErr: WprError | null = null;
    for (let attempt = 0; attempt < STOP_ATTEMPTS; attempt++) {
      try {
        await wpr.stop(opts.etlPath);
        validateEtl(opts.etlPath, before);
        progress('done', 0);
        return {
          outcome: 'ok',
          manifestStatus: 'written',
          etlPath: opts.etlPath,
          errorCode: null,
          message: null,
          sessionLeftRunning: false,
        };
      } catch (e) {
        lastErr = asWprError(e);
        // Retrying cannot help when the session is gone or the trace came out bad.
        if (lastErr.code === 'not_running' || lastErr.code === 'etl_invalid') break;
      }
    }
    const err = lastErr ?? new WprError('failed', WPR_MESSAGES.failed);
    if (err.code === 'not_running' || err.code === 'etl_invalid')
      return {
        outcome: 'failed',
        manifestStatus: 'cancelled_after_stop_failure',
        etlPath: opts.etlPath,
        errorCode: err.code,
        message: err.message,
        sessionLeftRunning: false,
      };
    return cleanup(
      { outcome: 'failed', etlPath: opts.etlPath, errorCode: err.code, message: err.message },
      true,
    );
  };

  const rec: EtwRecording = {
    started,
    done: run().finally(() => {
      active.delete(rec);
      opts.signal?.removeEventListener('abort', onOuterAbort);
      progress('done', 0);
    }),
    cancel: () => local.abort(),
  };
  active.add(rec);
  return rec;
}

/** Tick once a second; true if aborted before the window ended. */
function countdown(
  total: number,
  tickMs: number,
  signal: AbortSignal,
  tick: (remaining: number) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    let remaining = total;
    tick(remaining);
    if (signal.aborted) return resolve(true);
    const timer = setInterval(() => {
      remaining -= 1;
      if (remaining <= 0) {
        clearInterval(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(false);
      } else tick(remaining);
    }, tickMs);
    const onAbort = (): void => {
      clearInterval(timer);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
