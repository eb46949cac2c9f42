// Not a standalone header: included by wait_chains.cc inside its anonymous namespace (test build only).
#pragma once

// Canned wait chains for the CTD_WCT_STUB test build (included inside ctd::{anon} in
// wait_chains.cc). With threads t0, t1, t2, t3... of the target:
//   t0 -> critical section -> t1 -> critical section -> t0   (cycle, both flagged)
//   t1 -> critical section -> t0 -> critical section -> t1   (cycle)
//   t2 -> mutex "Global\CtdTëst" (not owned)                 (non-ASCII name round trip)
//   t3 -> ERROR_MORE_DATA with WCT_MAX_NODE_COUNT nodes       (still usable, no cycle)
//   t4 -> fails with ERROR_ACCESS_DENIED
// A single-threaded target gets a self-wait cycle on t0.
std::vector<DWORD> g_stubThreads;
DWORD g_stubPid = 0;

void StubSetThreads(DWORD pid, const std::vector<DWORD>& tids) {
  g_stubPid = pid;
  g_stubThreads = tids;
}

HWCT StubOpenThreadWaitChainSession(DWORD, PWAITCHAINCALLBACK) { return reinterpret_cast<HWCT>(0x1); }

void StubCloseThreadWaitChainSession(HWCT) {}

void StubThreadNode(WAITCHAIN_NODE_INFO& n, DWORD tid, DWORD wait) {
  ZeroMemory(&n, sizeof(n));
  n.ObjectType = WctThreadType;
  n.ObjectStatus = WctStatusBlocked;
  n.ThreadObject.ProcessId = g_stubPid;
  n.ThreadObject.ThreadId = tid;
  n.ThreadObject.WaitTime = wait;
  n.ThreadObject.ContextSwitches = 7;
}

void StubObjectNode(WAITCHAIN_NODE_INFO& n, WCT_OBJECT_TYPE type, WCT_OBJECT_STATUS status, const wchar_t* name) {
  ZeroMemory(&n, sizeof(n));
  n.ObjectType = type;
  n.ObjectStatus = status;
  if (name) lstrcpynW(n.LockObject.ObjectName, name, WCT_OBJNAME_LENGTH);
}

BOOL StubGetThreadWaitChain(HWCT, DWORD_PTR, DWORD, DWORD tid, LPDWORD count, PWAITCHAIN_NODE_INFO nodes,
                            LPBOOL cycle) {
  size_t i = 0;
  while (i < g_stubThreads.size() && g_stubThreads[i] != tid) i++;
  DWORD t0 = g_stubThreads.empty() ? tid : g_stubThreads[0];
  DWORD t1 = g_stubThreads.size() > 1 ? g_stubThreads[1] : t0;
  *cycle = FALSE;
  if (i == 0 || i == 1) {
    DWORD self = i == 0 ? t0 : t1, other = i == 0 ? t1 : t0;
    StubThreadNode(nodes[0], self, 9400);
    StubObjectNode(nodes[1], WctCriticalSectionType, WctStatusOwned, nullptr);
    StubThreadNode(nodes[2], other, 9300);
    StubObjectNode(nodes[3], WctCriticalSectionType, WctStatusOwned, nullptr);
    StubThreadNode(nodes[4], self, 9400);
    *count = 5;
    *cycle = TRUE;
    return TRUE;
  }
  if (i == 2) {
    StubThreadNode(nodes[0], tid, 1200);
    StubObjectNode(nodes[1], WctMutexType, WctStatusNotOwned, L"Global\\CtdT\u00ebst");
    *count = 2;
    return TRUE;
  }
  if (i == 3) {
    for (DWORD k = 0; k < WCT_MAX_NODE_COUNT; k++) {
      // A long chain through threads of another process, cut at the node limit.
      if (k % 2 == 0) StubThreadNode(nodes[k], k == 0 ? tid : 0x70000 + k, 50);
      else StubObjectNode(nodes[k], WctAlpcType, WctStatusOwned, nullptr);
    }
    *count = WCT_MAX_NODE_COUNT + 4;  // the real API reports how many it would have needed
    SetLastError(ERROR_MORE_DATA);
    return FALSE;
  }
  if (i == 4) {
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
  }
  StubThreadNode(nodes[0], tid, 0);
  nodes[0].ObjectStatus = WctStatusRunning;
  *count = 1;
  return TRUE;
}
