// collectWaitChains(pid) -> Promise<{ pid, threads[], error?, mainTid?, debugPrivilegeEnabled,
// comCallbackRegistered }>: one Wait Chain Traversal pass as SkyrimDiag's helper takes it (§9.1).
#include "addon.h"

#include <tlhelp32.h>
#include <wct.h>

#include <vector>

// mingw-w64's wct.h lacks these two (values from the Windows SDK's wct.h).
#ifndef WCT_MAX_NODE_COUNT
#define WCT_MAX_NODE_COUNT 16
#endif
#ifndef WCT_OUT_OF_PROC_FLAG
#define WCT_OUT_OF_PROC_FLAG 0x1
#define WCT_OUT_OF_PROC_COM_FLAG 0x2
#define WCT_OUT_OF_PROC_CS_FLAG 0x4
#define WCT_NETWORK_IO_FLAG 0x8
#endif
#ifndef WCTP_GETINFO_ALL_FLAGS
#define WCTP_GETINFO_ALL_FLAGS \
  (WCT_OUT_OF_PROC_FLAG | WCT_OUT_OF_PROC_COM_FLAG | WCT_OUT_OF_PROC_CS_FLAG | WCT_NETWORK_IO_FLAG)
#endif

namespace ctd {
namespace {

#ifdef CTD_WCT_STUB
// Test build only (the Wine test): Wine has no Wait Chain Traversal, so these stand-ins feed
// canned chains through the same conversion code. Never part of a release build.
#include "wct_stub_chains.h"  // NOLINT: included inside this namespace on purpose
#define CTD_OpenSession StubOpenThreadWaitChainSession
#define CTD_GetChain StubGetThreadWaitChain
#define CTD_CloseSession StubCloseThreadWaitChainSession
#else
#define CTD_OpenSession OpenThreadWaitChainSession
#define CTD_GetChain GetThreadWaitChain
#define CTD_CloseSession CloseThreadWaitChainSession
#endif

struct Node {
  int type;
  int status;
  std::string name;
  bool isThread;
  DWORD pid, tid, waitTime, contextSwitches;
};

struct ThreadChain {
  DWORD tid;
  bool isCycle;
  DWORD error;  // 0 = ok (ERROR_MORE_DATA is still usable and kept as 0 with nodes)
  std::vector<Node> nodes;
};

// COM callbacks may only be registered once per process, before the first session.
bool g_comTried = false;
bool g_comRegistered = false;

void RegisterCom() {
  if (g_comTried) return;
  g_comTried = true;
  HMODULE ole = LoadLibraryW(L"ole32.dll");
  if (!ole) return;
  auto call = reinterpret_cast<PCOGETCALLSTATE>(reinterpret_cast<void*>(GetProcAddress(ole, "CoGetCallState")));
  auto act = reinterpret_cast<PCOGETACTIVATIONSTATE>(
      reinterpret_cast<void*>(GetProcAddress(ole, "CoGetActivationState")));
  if (call && act) {
    RegisterWaitChainCOMCallback(call, act);
    g_comRegistered = true;
  }
}

class WctWorker : public Napi::AsyncWorker {
 public:
  WctWorker(Napi::Env env, DWORD pid)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), pid_(pid) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    DWORD privError = 0;
    debugPriv_ = EnableDebugPrivilege(&privError);

    Handle snap(CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0));
    if (!snap.valid()) {
      snapError_ = GetLastError();
      return;
    }
    std::vector<DWORD> tids;
    THREADENTRY32 te{};
    te.dwSize = sizeof(te);
    if (Thread32First(snap.get(), &te)) {
      do {
        if (te.th32OwnerProcessID == pid_) tids.push_back(te.th32ThreadID);
        te.dwSize = sizeof(te);
      } while (Thread32Next(snap.get(), &te));
    }
    if (tids.empty()) {
      snapError_ = ERROR_INVALID_PARAMETER;  // no such process (or it has exited)
      return;
    }
    FindMainThread(tids);

    RegisterCom();
#ifdef CTD_WCT_STUB
    StubSetThreads(pid_, tids);
#endif
    HWCT session = CTD_OpenSession(0, nullptr);
    if (!session) {
      // Wine answers ERROR_NOT_SUPPORTED here: WCT is not implemented there.
      sessionError_ = GetLastError();
      if (!sessionError_) sessionError_ = ERROR_NOT_SUPPORTED;
      return;
    }
    for (DWORD tid : tids) {
      ThreadChain chain{tid, false, 0, {}};
      WAITCHAIN_NODE_INFO nodes[WCT_MAX_NODE_COUNT];
      DWORD count = WCT_MAX_NODE_COUNT;
      BOOL cycle = FALSE;
      if (!CTD_GetChain(session, 0, WCTP_GETINFO_ALL_FLAGS, tid, &count, nodes, &cycle)) {
        DWORD e = GetLastError();
        if (e != ERROR_MORE_DATA) {
          chain.error = e;
          chains_.push_back(std::move(chain));
          continue;
        }
      }
      if (count > WCT_MAX_NODE_COUNT) count = WCT_MAX_NODE_COUNT;
      chain.isCycle = cycle != FALSE;
      for (DWORD i = 0; i < count; i++) {
        const WAITCHAIN_NODE_INFO& n = nodes[i];
        Node out{};
        out.type = static_cast<int>(n.ObjectType);
        out.status = static_cast<int>(n.ObjectStatus);
        out.isThread = n.ObjectType == WctThreadType;
        if (out.isThread) {
          out.pid = n.ThreadObject.ProcessId;
          out.tid = n.ThreadObject.ThreadId;
          out.waitTime = n.ThreadObject.WaitTime;
          out.contextSwitches = n.ThreadObject.ContextSwitches;
        } else {
          size_t len = 0;
          while (len < WCT_OBJNAME_LENGTH && n.LockObject.ObjectName[len]) len++;
          out.name = Utf8(n.LockObject.ObjectName, static_cast<int>(len));
        }
        chain.nodes.push_back(std::move(out));
      }
      chains_.push_back(std::move(chain));
    }
    CTD_CloseSession(session);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (snapError_) {
      deferred_.Reject(WinError(env, "CreateToolhelp32Snapshot", snapError_).Value());
      return;
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("pid", Napi::Number::New(env, pid_));
    r.Set("debugPrivilegeEnabled", Napi::Boolean::New(env, debugPriv_));
    r.Set("comCallbackRegistered", Napi::Boolean::New(env, g_comRegistered));
    if (mainTid_) r.Set("mainTid", Napi::Number::New(env, mainTid_));
    Napi::Array threads = Napi::Array::New(env, chains_.size());
    if (sessionError_) r.Set("error", Napi::Number::New(env, sessionError_));
    for (size_t i = 0; i < chains_.size(); i++) {
      const ThreadChain& c = chains_[i];
      Napi::Object t = Napi::Object::New(env);
      t.Set("tid", Napi::Number::New(env, c.tid));
      t.Set("isCycle", Napi::Boolean::New(env, c.isCycle));
      Napi::Array nodes = Napi::Array::New(env, c.nodes.size());
      for (size_t j = 0; j < c.nodes.size(); j++) {
        const Node& n = c.nodes[j];
        Napi::Object o = Napi::Object::New(env);
        o.Set("objectType", Napi::Number::New(env, n.type));
        o.Set("objectStatus", Napi::Number::New(env, n.status));
        if (n.isThread) {
          Napi::Object th = Napi::Object::New(env);
          th.Set("processId", Napi::Number::New(env, n.pid));
          th.Set("threadId", Napi::Number::New(env, n.tid));
          th.Set("waitTime", Napi::Number::New(env, n.waitTime));
          th.Set("contextSwitches", Napi::Number::New(env, n.contextSwitches));
          o.Set("thread", th);
        } else {
          o.Set("objectName", Napi::String::New(env, n.name));
        }
        nodes.Set(static_cast<uint32_t>(j), o);
      }
      t.Set("nodes", nodes);
      if (c.error) t.Set("error", Napi::Number::New(env, c.error));
      threads.Set(static_cast<uint32_t>(i), t);
    }
    r.Set("threads", threads);
    deferred_.Resolve(r);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  // The thread created first is the process's initial thread, which for a game is its main thread.
  void FindMainThread(const std::vector<DWORD>& tids) {
    ULONGLONG best = ~0ull;
    for (DWORD tid : tids) {
      Handle h(OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid));
      if (!h.valid()) continue;
      FILETIME created, exited, kernel, user;
      if (!GetThreadTimes(h.get(), &created, &exited, &kernel, &user)) continue;
      ULONGLONG t = (static_cast<ULONGLONG>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
      if (t < best) {
        best = t;
        mainTid_ = tid;
      }
    }
    if (!mainTid_ && !tids.empty()) mainTid_ = tids.front();
  }

  Napi::Promise::Deferred deferred_;
  DWORD pid_;
  DWORD mainTid_ = 0;
  bool debugPriv_ = false;
  DWORD snapError_ = 0;
  DWORD sessionError_ = 0;
  std::vector<ThreadChain> chains_;
};

}  // namespace

Napi::Value CollectWaitChains(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "collectWaitChains(pid: number)");
  auto* worker = new WctWorker(env, info[0].As<Napi::Number>().Uint32Value());
  Napi::Promise p = worker->Promise();
  worker->Queue();
  return p;
}

}  // namespace ctd
