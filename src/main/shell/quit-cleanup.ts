import type { AppLike } from './electron-like';

/**
 * Runs `cleanup` before the app quits, once: the first quit is held (preventDefault) until the
 * cleanup finished or `timeoutMs` passed, then quit is asked again and goes through. What has to
 * happen is an ETW trace session of ours being cancelled (wpr -cancel): a session left running
 * keeps recording after the app is gone.
 */
export function installQuitCleanup(app: AppLike, cleanup: () => Promise<void>, timeoutMs = 8000): void {
  let phase: 'running' | 'cleaning' | 'done' = 'running';
  app.on('before-quit', (e) => {
    if (phase === 'done') return;
    e.preventDefault();
    if (phase === 'cleaning') return;
    phase = 'cleaning';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((r) => {
      timer = setTimeout(r, timeoutMs);
    });
    void Promise.race([cleanup().catch(() => undefined), limit]).then(() => {
      clearTimeout(timer);
      phase = 'done';
      app.quit();
    });
  });
}
