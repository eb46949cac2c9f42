// Lets the cross-built addon load into any host exe (Electron's app exe as well as node.exe).
// The import library names the napi_* exporter "node.exe"; imports are delay-loaded and this
// hook answers that name with the running exe, as node-gyp's win_delay_load_hook does for MSVC.
#include "win_util.h"

#include <delayimp.h>
#include <string.h>

namespace {

FARPROC WINAPI CtdDelayHook(unsigned dliNotify, PDelayLoadInfo pdli) {
  if (dliNotify == dliNotePreLoadLibrary && pdli && pdli->szDll && _stricmp(pdli->szDll, "node.exe") == 0)
    return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
  return nullptr;
}

// Installed while the DLL is being attached, before Node calls napi_register_module_v1.
[[maybe_unused]] const bool kHooked = (__pfnDliNotifyHook2 = CtdDelayHook, true);

}  // namespace
