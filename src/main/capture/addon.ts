import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DumpProfile } from './dump-profile';

/** One node of a wait chain as the addon returns it (same keys as SkyrimDiag's WCT JSON). */
export interface RawWctNode {
  objectType: number;
  objectStatus: number;
  objectName?: string;
  thread?: { processId: number; threadId: number; waitTime: number; contextSwitches: number };
}

export interface RawWctThread {
  tid: number;
  isCycle: boolean;
  nodes: RawWctNode[];
  /** Win32 error of GetThreadWaitChain (ERROR_MORE_DATA still comes with nodes). */
  error?: number;
}

/** One Wait Chain Traversal pass over every thread of a process. */
export interface RawWaitChains {
  pid: number;
  threads: RawWctThread[];
  /** Win32 error when the whole pass failed (e.g. 50 ERROR_NOT_SUPPORTED under Wine). */
  error?: number;
  /** Thread with the earliest creation time: the process's first, normally its main thread. */
  mainTid?: number;
  debugPrivilegeEnabled: boolean;
  comCallbackRegistered: boolean;
}

export interface ProcessInfo {
  pid: number;
  parentPid: number;
  name: string;
  /** Full image path, or "" when the process cannot be opened (other user, protected). */
  exePath: string;
  /** Title of its main visible top-level window, or "". */
  windowTitle: string;
  /** false: the main window does not answer messages (IsHungAppWindow / SendMessageTimeout); null: no window. */
  responding: boolean | null;
}

export interface UserStream {
  type: number;
  data: Uint8Array;
}

/** The native addon's surface (native/src/*.cc). Errors carry `winError` (GetLastError). */
export interface CaptureAddon {
  writeMinidump(
    pid: number,
    path: string,
    options: { profile: DumpProfile; userStreams?: UserStream[] },
  ): Promise<{ bytes: number }>;
  collectWaitChains(pid: number): Promise<RawWaitChains>;
  listProcesses(): ProcessInfo[];
}

export type AddonLoad = { ok: true; addon: CaptureAddon; path: string } | { ok: false; reason: string };

export const CAPTURE_NEEDS_WINDOWS = 'Capture needs Windows: the capture helper only exists for win32-x64.';

const ADDON_FILE = 'ctd_capture.node';

/** Where the addon may be: packaged resources, the repo's prebuilds, a local build. */
export function addonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.CTD_CAPTURE_ADDON) out.push(env.CTD_CAPTURE_ADDON);
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resources) out.push(join(resources, 'prebuilds', 'win32-x64', ADDON_FILE));
  for (const root of [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..'), process.cwd()]) {
    out.push(join(root, 'native', 'prebuilds', 'win32-x64', ADDON_FILE));
    out.push(join(root, 'native', 'build', 'Release', ADDON_FILE));
  }
  return out;
}

let cached: AddonLoad | null = null;

/**
 * Load the addon if this platform has one. Never throws: on Linux/macOS, or when the file is
 * missing or fails to load, the answer says why and capture features show that message.
 */
export function loadCaptureAddon(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): AddonLoad {
  if (platform !== 'win32' || arch !== 'x64') return { ok: false, reason: CAPTURE_NEEDS_WINDOWS };
  if (cached) return cached;
  const path = addonCandidates().find((p) => existsSync(p));
  if (!path) {
    cached = { ok: false, reason: `The capture helper (${ADDON_FILE}) is missing from this installation.` };
    return cached;
  }
  try {
    const req = createRequire(__filename);
    cached = { ok: true, addon: req(path) as CaptureAddon, path };
  } catch (e) {
    cached = { ok: false, reason: `The capture helper failed to load: ${(e as Error).message}` };
  }
  return cached;
}
