#include "addon.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("writeMinidump", Napi::Function::New(env, ctd::WriteMinidump, "writeMinidump"));
  exports.Set("collectWaitChains", Napi::Function::New(env, ctd::CollectWaitChains, "collectWaitChains"));
  exports.Set("listProcesses", Napi::Function::New(env, ctd::ListProcesses, "listProcesses"));
  return exports;
}

}  // namespace

NODE_API_MODULE(ctd_capture, Init)
