// writeMinidump(pid, path, { profile, userStreams? }) -> Promise<{ bytes }>
// MiniDumpWriteDump out of process, on a worker thread so the app stays responsive.
#include "addon.h"

#include <dbghelp.h>

#include <vector>

namespace ctd {
namespace {

// SkyrimDiag's flag sets for hang/manual captures (skyrimdiag-artifacts.md §8); the TypeScript
// side (src/main/capture/dump-profile.ts) keeps the same numbers for the manifest.
DWORD FlagsFor(const std::string& profile) {
  const DWORD base = MiniDumpWithThreadInfo | MiniDumpWithHandleData | MiniDumpWithUnloadedModules |
                     MiniDumpWithCodeSegs;
  if (profile == "small") return MiniDumpNormal | MiniDumpWithThreadInfo;
  if (profile == "full") return base | MiniDumpWithFullMemory;
  return base;
}

struct Stream {
  ULONG32 type;
  std::vector<unsigned char> data;
};

class DumpWorker : public Napi::AsyncWorker {
 public:
  DumpWorker(Napi::Env env, DWORD pid, std::wstring path, DWORD flags, std::vector<Stream> streams)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        pid_(pid),
        path_(std::move(path)),
        flags_(flags),
        streams_(std::move(streams)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    Handle process(OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ | PROCESS_DUP_HANDLE, FALSE, pid_));
    if (!process.valid()) return Fail("OpenProcess");
    // CREATE_ALWAYS into the caller's temp name; the caller renames it once we return.
    Handle file(CreateFileW(path_.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) return Fail("CreateFile");

    std::vector<MINIDUMP_USER_STREAM> user;
    for (auto& s : streams_) {
      MINIDUMP_USER_STREAM u{};
      u.Type = s.type;
      u.BufferSize = static_cast<ULONG>(s.data.size());
      u.Buffer = s.data.empty() ? nullptr : s.data.data();
      user.push_back(u);
    }
    MINIDUMP_USER_STREAM_INFORMATION info{};
    info.UserStreamCount = static_cast<ULONG>(user.size());
    info.UserStreamArray = user.empty() ? nullptr : user.data();

    BOOL ok = MiniDumpWriteDump(process.get(), pid_, file.get(), static_cast<MINIDUMP_TYPE>(flags_), nullptr,
                                user.empty() ? nullptr : &info, nullptr);
    if (!ok) {
      DWORD e = GetLastError();
      // MiniDumpWriteDump reports some failures as an HRESULT in GetLastError.
      if ((e & 0xFFFF0000u) == 0x80070000u) e &= 0xFFFFu;
      error_ = e;
      where_ = "MiniDumpWriteDump";
      file.reset();
      DeleteFileW(path_.c_str());
      SetError("failed");
      return;
    }
    LARGE_INTEGER size{};
    GetFileSizeEx(file.get(), &size);
    bytes_ = static_cast<double>(size.QuadPart);
  }

  void OnOK() override {
    Napi::Object r = Napi::Object::New(Env());
    r.Set("bytes", Napi::Number::New(Env(), bytes_));
    deferred_.Resolve(r);
  }

  void OnError(const Napi::Error&) override {
    deferred_.Reject(WinError(Env(), where_, error_).Value());
  }

 private:
  void Fail(const char* where) {
    error_ = GetLastError();
    where_ = where;
    SetError("failed");
  }

  Napi::Promise::Deferred deferred_;
  DWORD pid_;
  std::wstring path_;
  DWORD flags_;
  std::vector<Stream> streams_;
  DWORD error_ = 0;
  std::string where_;
  double bytes_ = 0;
};

}  // namespace

Napi::Value WriteMinidump(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsString())
    throw Napi::TypeError::New(env, "writeMinidump(pid: number, path: string, options?)");
  DWORD pid = info[0].As<Napi::Number>().Uint32Value();
  std::wstring path = Wide(info[1].As<Napi::String>().Utf8Value());
  std::string profile = "default";
  std::vector<Stream> streams;
  if (info.Length() > 2 && info[2].IsObject()) {
    Napi::Object o = info[2].As<Napi::Object>();
    if (o.Has("profile") && o.Get("profile").IsString()) profile = o.Get("profile").As<Napi::String>().Utf8Value();
    if (o.Has("userStreams") && o.Get("userStreams").IsArray()) {
      Napi::Array arr = o.Get("userStreams").As<Napi::Array>();
      for (uint32_t i = 0; i < arr.Length(); i++) {
        Napi::Value v = arr.Get(i);
        if (!v.IsObject()) continue;
        Napi::Object s = v.As<Napi::Object>();
        Napi::Value data = s.Get("data");
        if (!s.Get("type").IsNumber() || !data.IsTypedArray()) throw Napi::TypeError::New(env, "userStreams[i] needs {type, data}");
        Napi::Uint8Array bytes = data.As<Napi::Uint8Array>();
        Stream st;
        st.type = s.Get("type").As<Napi::Number>().Uint32Value();
        st.data.assign(bytes.Data(), bytes.Data() + bytes.ByteLength());
        streams.push_back(std::move(st));
      }
    }
  }
  if (profile != "small" && profile != "default" && profile != "full")
    throw Napi::TypeError::New(env, "profile must be small, default or full");
  auto* worker = new DumpWorker(env, pid, std::move(path), FlagsFor(profile), std::move(streams));
  Napi::Promise p = worker->Promise();
  worker->Queue();
  return p;
}

}  // namespace ctd
