import type { Handlers } from '../../shared/contract/index';
import type { CaptureProcess, CaptureResult } from '../../shared/contract/capture';

/**
 * What a tester's global hotkey or tray item captures: a running game (Skyrim / Fallout 4)
 * first, else a window that stopped responding. Null when neither exists.
 */
export function pickQuickCaptureTarget(processes: CaptureProcess[]): CaptureProcess | null {
  return (
    processes.find((p) => p.isGame && p.responding === false) ??
    processes.find((p) => p.isGame) ??
    processes.find((p) => p.responding === false) ??
    null
  );
}

/**
 * One-action capture for the app shell (src/main/index.ts): global hotkey and tray/menu item.
 * Goes through the same handlers as the Capture view, so the one-capture-at-a-time rule,
 * progress events and indexing all apply.
 */
export async function quickCapture(
  handlers: Pick<Handlers, 'capture:listProcesses' | 'capture:start'>,
  trigger: 'hotkey' | 'tray' = 'hotkey',
): Promise<CaptureResult | { ok: false; message: string }> {
  const list = await handlers['capture:listProcesses']({});
  if (!list.supported) return { ok: false, message: list.reason ?? 'Capture is not available here.' };
  const target = pickQuickCaptureTarget(list.processes);
  if (!target)
    return { ok: false, message: 'No running game (Skyrim / Fallout 4) or frozen window to capture.' };
  return handlers['capture:start']({
    pid: target.pid,
    dumpProfile: 'default',
    withWct: true,
    etwSeconds: 0,
    etwProfile: 'GeneralProfile',
    trigger,
  });
}
