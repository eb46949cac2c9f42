// The capture addon's exports (see src/main/capture/addon.ts for the TypeScript view).
#pragma once

#include "win_util.h"

#include <napi.h>

namespace ctd {

Napi::Value WriteMinidump(const Napi::CallbackInfo& info);
Napi::Value CollectWaitChains(const Napi::CallbackInfo& info);
Napi::Value ListProcesses(const Napi::CallbackInfo& info);

// A JS Error carrying the Win32 code as `winError`, so callers can tell "disk full" from "gone".
inline Napi::Error WinError(Napi::Env env, const std::string& where, DWORD code) {
  Napi::Error e = Napi::Error::New(env, where + " failed: " + Win32Message(code) + " (Win32 error " +
                                            std::to_string(code) + ")");
  e.Set("winError", Napi::Number::New(env, code));
  return e;
}

}  // namespace ctd
