// A window that answers messages for <ms> (command line) and then stops pumping: what a frozen
// game looks like to listProcesses (IsHungAppWindow / SendMessageTimeout) and to quick capture.
// Built by run-wine-tests.sh with mingw-w64; runs under Wine's null graphics driver (no X).
#include <windows.h>
static LRESULT CALLBACK Proc(HWND h, UINT m, WPARAM w, LPARAM l) { return DefWindowProcW(h, m, w, l); }
int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmd, int show) {
  WNDCLASSW wc = {0};
  wc.lpfnWndProc = Proc; wc.hInstance = inst; wc.lpszClassName = L"CtdHungWindow";
  RegisterClassW(&wc);
  int hangAfterMs = _wtoi(cmd);
  HWND hwnd = CreateWindowExW(0, L"CtdHungWindow", L"CTD test window", WS_OVERLAPPEDWINDOW | WS_VISIBLE,
                              10, 10, 300, 200, NULL, NULL, inst, NULL);
  if (!hwnd) return 2;
  ShowWindow(hwnd, SW_SHOW);
  DWORD start = GetTickCount();
  MSG msg;
  for (;;) {
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) { TranslateMessage(&msg); DispatchMessageW(&msg); }
    if (hangAfterMs > 0 && GetTickCount() - start > (DWORD)hangAfterMs) Sleep(INFINITE);
    Sleep(10);
  }
}
