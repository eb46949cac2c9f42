// listProcesses() -> [{ pid, parentPid, name, exePath, windowTitle, responding }]
#include "addon.h"

#include <tlhelp32.h>

#include <unordered_map>
#include <vector>

namespace ctd {
namespace {

struct WindowInfo {
  HWND hwnd;
  std::string title;
};

BOOL CALLBACK CollectWindow(HWND hwnd, LPARAM param) {
  auto* map = reinterpret_cast<std::unordered_map<DWORD, WindowInfo>*>(param);
  // A process's "main window": visible, top-level, unowned, with a title.
  if (!IsWindowVisible(hwnd) || GetWindow(hwnd, GW_OWNER) != nullptr) return TRUE;
  wchar_t title[512];
  int n = GetWindowTextW(hwnd, title, 512);
  if (n <= 0) return TRUE;
  DWORD pid = 0;
  GetWindowThreadProcessId(hwnd, &pid);
  if (pid && map->find(pid) == map->end()) (*map)[pid] = WindowInfo{hwnd, Utf8(title, n)};
  return TRUE;
}

// IsHungAppWindow catches windows silent for 5 s; a short SendMessageTimeout catches the rest
// without letting one frozen game stall the whole list.
bool Responding(HWND hwnd) {
  if (IsHungAppWindow(hwnd)) return false;
  DWORD_PTR result = 0;
  return SendMessageTimeoutW(hwnd, WM_NULL, 0, 0, SMTO_ABORTIFHUNG | SMTO_BLOCK, 150, &result) != 0;
}

}  // namespace

Napi::Value ListProcesses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::unordered_map<DWORD, WindowInfo> windows;
  EnumWindows(CollectWindow, reinterpret_cast<LPARAM>(&windows));

  Handle snap(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
  if (!snap.valid()) throw WinError(env, "CreateToolhelp32Snapshot", GetLastError());
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  PROCESSENTRY32W pe{};
  pe.dwSize = sizeof(pe);
  if (Process32FirstW(snap.get(), &pe)) {
    do {
      if (pe.th32ProcessID == 0) continue;
      Napi::Object o = Napi::Object::New(env);
      o.Set("pid", Napi::Number::New(env, pe.th32ProcessID));
      o.Set("parentPid", Napi::Number::New(env, pe.th32ParentProcessID));
      o.Set("name", Napi::String::New(env, Utf8(pe.szExeFile)));
      std::string path;
      Handle h(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pe.th32ProcessID));
      if (h.valid()) {
        wchar_t buf[MAX_PATH * 2];
        DWORD size = MAX_PATH * 2;
        if (QueryFullProcessImageNameW(h.get(), 0, buf, &size)) path = Utf8(buf, static_cast<int>(size));
      }
      o.Set("exePath", Napi::String::New(env, path));
      auto w = windows.find(pe.th32ProcessID);
      if (w != windows.end()) {
        o.Set("windowTitle", Napi::String::New(env, w->second.title));
        o.Set("responding", Napi::Boolean::New(env, Responding(w->second.hwnd)));
      } else {
        o.Set("windowTitle", Napi::String::New(env, ""));
        o.Set("responding", env.Null());
      }
      out.Set(i++, o);
      pe.dwSize = sizeof(pe);
    } while (Process32NextW(snap.get(), &pe));
  }
  return out;
}

}  // namespace ctd
