/**
 * Synthetic WCT documents built from the format description (skyrimdiag-artifacts.md §9.1):
 * no real SkyrimDiag WCT file exists anywhere we may use (fixtures/skyrimdiag/PROVENANCE.md).
 */
export function threadNode(tid: number, waitTime: number, status = 3, pid = 4242): Record<string, unknown> {
  return {
    objectType: 8,
    objectStatus: status,
    thread: { processId: pid, threadId: tid, waitTime, contextSwitches: 100 },
  };
}
export function objNode(type: number, status = 6, name = ''): Record<string, unknown> {
  return { objectType: type, objectStatus: status, objectName: name };
}

/** Main 5120 and 6312 deadlocked over two critical sections; 7000 waits on 5120; 7100 runs. */
export function deadlockDoc(): Record<string, unknown> {
  const threads = [
    { tid: 7100, isCycle: false, nodes: [threadNode(7100, 0, 2)] },
    {
      tid: 5120,
      isCycle: true,
      nodes: [threadNode(5120, 9400), objNode(1), threadNode(6312, 9380), objNode(1), threadNode(5120, 9400)],
    },
    {
      tid: 6312,
      isCycle: true,
      nodes: [threadNode(6312, 9380), objNode(1), threadNode(5120, 9400), objNode(1), threadNode(6312, 9380)],
    },
    {
      tid: 7000,
      isCycle: false,
      nodes: [threadNode(7000, 500), objNode(3, 6, 'Global\\SaveLock'), threadNode(5120, 9400)],
    },
  ];
  return {
    pid: 4242,
    threads,
    passes: [
      {
        pass_index: 0,
        capture_usable: true,
        threads,
        cycle_thread_ids: [5120, 6312],
        has_loading_signal: false,
        longest_wait_tid: 5120,
        longest_wait_ms: 9400,
      },
      {
        pass_index: 1,
        capture_usable: true,
        threads,
        cycle_thread_ids: [5120, 6312],
        has_loading_signal: false,
        longest_wait_tid: 5120,
        longest_wait_ms: 9415,
      },
    ],
    capture_passes: 2,
    cycle_consensus: true,
    repeated_cycle_tids: [5120, 6312],
    consistent_loading_signal: false,
    longest_wait_tid_consensus: true,
    debugPrivilegeEnabled: true,
    comCallbackRegistered: true,
    capture: {
      kind: 'hang',
      secondsSinceHeartbeat: 12.3,
      thresholdSec: 10,
      isLoading: false,
      stateFlags: 0,
      pss_snapshot_requested: false,
      pss_snapshot_used: false,
      pss_snapshot_capture_ms: 0,
      pss_snapshot_status: 'disabled',
      dump_transport: 'live_process',
    },
  };
}
