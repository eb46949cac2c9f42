// Small Win32 helpers shared by the capture addon's parts.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#include <windows.h>

#include <string>

namespace ctd {

// Owns a HANDLE; INVALID_HANDLE_VALUE and NULL both mean "none" because Win32 uses both.
class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE h) : h_(h) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : h_(o.h_) { o.h_ = nullptr; }
  HANDLE get() const { return h_; }
  bool valid() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }
  void reset(HANDLE h = nullptr) {
    if (valid()) CloseHandle(h_);
    h_ = h;
  }

 private:
  HANDLE h_ = nullptr;
};

inline std::string Utf8(const wchar_t* w, int len = -1) {
  if (!w) return std::string();
  int n = WideCharToMultiByte(CP_UTF8, 0, w, len, nullptr, 0, nullptr, nullptr);
  if (n <= 0) return std::string();
  std::string out(static_cast<size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, len, &out[0], n, nullptr, nullptr);
  if (len == -1 && !out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

inline std::wstring Wide(const std::string& s) {
  if (s.empty()) return std::wstring();
  int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), &out[0], n);
  return out;
}

inline std::string Win32Message(DWORD code) {
  wchar_t* buf = nullptr;
  DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                               FORMAT_MESSAGE_IGNORE_INSERTS,
                           nullptr, code, 0, reinterpret_cast<wchar_t*>(&buf), 0, nullptr);
  std::string msg;
  if (n && buf) {
    msg = Utf8(buf, static_cast<int>(n));
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r' || msg.back() == ' ')) msg.pop_back();
  }
  if (buf) LocalFree(buf);
  if (msg.empty()) msg = "Win32 error " + std::to_string(code);
  return msg;
}

// SeDebugPrivilege lets an elevated process open other users' processes; best effort like the helper.
inline bool EnableDebugPrivilege(DWORD* error) {
  HANDLE token = nullptr;
  *error = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
    *error = GetLastError();
    return false;
  }
  Handle t(token);
  TOKEN_PRIVILEGES tp{};
  tp.PrivilegeCount = 1;
  tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  if (!LookupPrivilegeValueW(nullptr, L"SeDebugPrivilege", &tp.Privileges[0].Luid)) {
    *error = GetLastError();
    return false;
  }
  if (!AdjustTokenPrivileges(token, FALSE, &tp, sizeof(tp), nullptr, nullptr)) {
    *error = GetLastError();
    return false;
  }
  DWORD last = GetLastError();
  if (last == ERROR_NOT_ALL_ASSIGNED) {
    *error = last;
    return false;
  }
  return true;
}

}  // namespace ctd
