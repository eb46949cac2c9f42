import type { RawWaitChains, RawWctThread } from './addon';

/** The `capture` block SkyrimDiag adds to its WCT JSON (§9.1), for a manual capture. */
export interface WctCaptureBlock {
  kind: 'manual';
  secondsSinceHeartbeat: number;
  thresholdSec: number;
  isLoading: boolean;
  stateFlags: number;
  pss_snapshot_requested: boolean;
  pss_snapshot_used: boolean;
  pss_snapshot_capture_ms: number;
  pss_snapshot_status: string;
  dump_transport: 'live_process';
}

export function manualCaptureBlock(): WctCaptureBlock {
  return {
    kind: 'manual',
    secondsSinceHeartbeat: 0,
    thresholdSec: 0,
    isLoading: false,
    stateFlags: 0,
    pss_snapshot_requested: false,
    pss_snapshot_used: false,
    pss_snapshot_capture_ms: 0,
    pss_snapshot_status: 'disabled',
    dump_transport: 'live_process',
  };
}

const WIN32_NAMES: Record<number, string> = {
  5: 'ERROR_ACCESS_DENIED',
  50: 'ERROR_NOT_SUPPORTED',
  87: 'ERROR_INVALID_PARAMETER',
};

export function win32Name(code: number): string {
  return WIN32_NAMES[code] ?? `Win32 error ${code}`;
}

const THREAD = 8;

function threadWaitMs(t: RawWctThread): number {
  const first = t.nodes[0];
  return first?.objectType === THREAD && first.thread ? first.thread.waitTime : 0;
}

function usable(p: RawWaitChains | null): p is RawWaitChains {
  return !!p && p.error === undefined && p.threads.some((t) => t.error === undefined || t.nodes.length > 0);
}

interface PassJson {
  pass_index: number;
  capture_usable: boolean;
  threads: RawWctThread[];
  cycle_thread_ids: number[];
  has_loading_signal: boolean;
  longest_wait_tid: number | null;
  longest_wait_ms: number | null;
}

function passJson(p: RawWaitChains | null, index: number): PassJson {
  const ok = usable(p);
  const threads = p?.threads ?? [];
  let longest: RawWctThread | null = null;
  for (const t of threads) if (!longest || threadWaitMs(t) > threadWaitMs(longest)) longest = t;
  return {
    pass_index: index,
    capture_usable: ok,
    threads: ok ? threads : [],
    cycle_thread_ids: ok
      ? threads
          .filter((t) => t.isCycle)
          .map((t) => t.tid)
          .sort((a, b) => a - b)
      : [],
    // The loading signal is SkyrimDiag's plugin state; a plain process has none.
    has_loading_signal: false,
    longest_wait_tid: ok && longest ? longest.tid : null,
    longest_wait_ms: ok && longest ? threadWaitMs(longest) : null,
  };
}

/**
 * Our WCT JSON: SkyrimDiag's shape (two passes, consensus fields, capture block), so its tools
 * read it, plus `producer` and `main_tid`. Both passes failing gives the `capture_failed` form.
 */
export function buildWctJson(
  pid: number,
  passes: readonly (RawWaitChains | null)[],
  failure: string | null = null,
): Record<string, unknown> {
  const producer = { name: 'ctd-workbench', format: 1 };
  const capture = manualCaptureBlock();
  const okPasses = passes.filter(usable);
  if (okPasses.length === 0) {
    const code = passes.find((p) => p?.error !== undefined)?.error;
    return {
      pid,
      error: 'capture_failed',
      producer,
      win32_error: code ?? null,
      reason: failure ?? (code !== undefined ? win32Name(code) : 'no usable wait chains'),
      capture,
    };
  }
  const pj = passes.map((p, i) => passJson(p, i));
  const cycleSets = pj.filter((p) => p.capture_usable).map((p) => new Set(p.cycle_thread_ids));
  const repeated =
    cycleSets.length >= 2 ? [...(cycleSets[0] ?? [])].filter((t) => cycleSets.every((s) => s.has(t))) : [];
  const longest = pj.filter((p) => p.capture_usable).map((p) => p.longest_wait_tid);
  const first = okPasses[0];
  return {
    pid,
    producer,
    main_tid: first?.mainTid ?? null,
    threads: first?.threads ?? [],
    passes: pj,
    capture_passes: okPasses.length,
    cycle_consensus: repeated.length > 0,
    repeated_cycle_tids: repeated.sort((a, b) => a - b),
    consistent_loading_signal: false,
    longest_wait_tid_consensus: longest.length >= 2 && longest.every((t) => t !== null && t === longest[0]),
    debugPrivilegeEnabled: first?.debugPrivilegeEnabled ?? false,
    comCallbackRegistered: first?.comCallbackRegistered ?? false,
    capture,
  };
}
