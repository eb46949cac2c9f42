import type { Handlers } from '../../../shared/contract/index';
import type { CaptureProcess, CaptureResult } from '../../../shared/contract/capture';
import type { WorkbenchContext } from '../../context';
import { loadCaptureAddon, type AddonLoad } from '../../capture/addon';
import { runManualCapture, type CaptureHelpers, type CaptureTimeouts } from '../../capture/orchestrator';
import {
  Wpr,
  WprError,
  activeEtwCount,
  recordEtwWindow,
  resolveWprExe,
  type WprConfig,
} from '../../capture/wpr';
import { isUncPath, requireAllowedPath } from '../../sources/path-check';
import { userPathPolicy } from '../path-policy';

const GAME_EXE = /^(SkyrimSE|SkyrimVR|Skyrim|TESV|Fallout4|Fallout4VR)\.exe$/i;

export interface CaptureDeps {
  loadAddon?: () => AddonLoad;
  /** How to run wpr; null = none on this machine. Default: System32\wpr.exe on Windows. */
  wprConfig?: (cwd: string) => WprConfig | null;
  /** Helpers override (tests on Linux); default: the addon's. */
  helpers?: CaptureHelpers;
  timeouts?: Partial<CaptureTimeouts>;
}

function defaultWprConfig(cwd: string): WprConfig | null {
  const exe = resolveWprExe(undefined);
  return exe ? { exe, cwd } : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The capture feature's handlers. Only one capture runs at a time: a tester's double click must
 * not start two dump writes on the same game.
 */
export function createCaptureHandlers(ctx: WorkbenchContext, deps: CaptureDeps = {}): Partial<Handlers> {
  const load = deps.loadAddon ?? (() => loadCaptureAddon());
  const wprConfigFor = deps.wprConfig ?? defaultWprConfig;
  let current: AbortController | null = null;

  const wpr = (): Wpr | null => {
    const cfg = wprConfigFor(ctx.dirs.captures);
    return cfg ? new Wpr(cfg) : null;
  };

  const helpers = (): CaptureHelpers | { error: string } => {
    if (deps.helpers) return deps.helpers;
    const a = load();
    if (!a.ok) return { error: a.reason };
    const w = wpr();
    return {
      writeDump: (pid, path, profile, userStreams) =>
        a.addon.writeMinidump(pid, path, { profile, userStreams }),
      collectWaitChains: (pid) => a.addon.collectWaitChains(pid),
      isAlive,
      startEtw: w ? (opts) => recordEtwWindow(w, opts) : null,
      etwUnavailable: 'wpr.exe is not available on this machine.',
    };
  };

  return {
    'capture:listProcesses': () => {
      const a = load();
      if (!a.ok) return { supported: false, reason: a.reason, processes: [] };
      const list: CaptureProcess[] = a.addon.listProcesses().map((p) => ({
        ...p,
        isGame: GAME_EXE.test(p.name),
      }));
      list.sort(
        (x, y) =>
          Number(y.isGame) - Number(x.isGame) ||
          Number(!!y.windowTitle) - Number(!!x.windowTitle) ||
          x.name.localeCompare(y.name),
      );
      return { supported: true, reason: null, processes: list };
    },

    'capture:start': async (req): Promise<CaptureResult> => {
      // A .wprp on a network share is opened before wpr.exe runs: only inside a share the user added.
      if (isUncPath(req.etwProfile))
        requireAllowedPath(req.etwProfile, userPathPolicy(ctx), 'The ETW profile');
      const h = helpers();
      const empty = {
        ts: '',
        folder: ctx.dirs.captures,
        files: { dump: null, wct: null, manifest: null, etl: null },
        wct: { status: 'skipped' as const, message: null },
        etw: { status: 'skipped' as const, manifestStatus: 'disabled', message: null },
        processExited: false,
        incidentId: null,
        ok: false,
        partial: false,
      };
      if ('error' in h)
        return { ...empty, message: h.error, dump: { status: 'failed', message: h.error, bytes: null } };
      if (current) {
        const message = 'A capture is already running.';
        return { ...empty, message, dump: { status: 'failed', message, bytes: null } };
      }
      current = new AbortController();
      try {
        const out = await runManualCapture(
          { ...req, trigger: `workbench_${req.trigger}` },
          {
            outDir: ctx.dirs.captures,
            helpers: h,
            timeouts: deps.timeouts,
            signal: current.signal,
            onProgress: (p) => ctx.emit('capture:progress', p),
            onFilesWritten: async (dir) => {
              await ctx.sources.scanFolder(dir);
            },
          },
        );
        const indexed = out.files.dump ?? out.files.wct;
        const result: CaptureResult = {
          ...out,
          incidentId: indexed ? ctx.store.incidentIdOfArtifact(indexed) : null,
        };
        ctx.emit('capture:completed', result);
        return result;
      } finally {
        current = null;
      }
    },

    'capture:cancel': () => {
      if (!current) return { cancelled: false };
      current.abort();
      return { cancelled: true };
    },

    'capture:etwStatus': async () => {
      const w = wpr();
      if (!w)
        return {
          available: false,
          reason: process.platform === 'win32' ? 'wpr.exe was not found.' : 'ETW capture needs Windows.',
          staleSession: false,
          text: '',
        };
      try {
        const s = await w.status();
        return {
          available: true,
          reason: null,
          staleSession: s.recording && activeEtwCount() === 0,
          text: s.text,
        };
      } catch (e) {
        const err = e instanceof WprError ? e : new WprError('failed', String(e));
        return {
          available: err.code !== 'wpr_missing' && err.code !== 'not_admin',
          reason: err.message,
          staleSession: false,
          text: '',
        };
      }
    },

    'capture:cancelStaleEtw': async () => {
      const w = wpr();
      if (!w) return { ok: false, message: 'wpr.exe is not available on this machine.' };
      if (activeEtwCount() > 0)
        return { ok: false, message: 'A capture of ours is recording; cancel the capture instead.' };
      try {
        await w.cancel();
        return { ok: true, message: 'The stale ETW session was cancelled.' };
      } catch (e) {
        if (e instanceof WprError && e.code === 'not_running')
          return { ok: true, message: 'No ETW session was running.' };
        return { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** For the handler list (features/index.ts). */
export const captureHandlers = (ctx: WorkbenchContext): Partial<Handlers> => createCaptureHandlers(ctx);
