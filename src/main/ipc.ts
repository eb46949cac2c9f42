import { BrowserWindow, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import type { EventName, EventPayloadOf, Handlers } from '../shared/contract/index';
import { EVENT_CHANNEL_PREFIX, INVOKE_CHANNEL } from '../shared/contract/ipc-names';
import { NotFoundError } from './dispatch-errors';
import { routeInvoke } from './ipc-router';
import type { DesktopShell } from './shell/desktop-shell';
import type { Workbench } from './workbench';

/**
 * Electron transport: one ipcMain handler that routes every contract call through the shared
 * dispatch (validation + error mapping), after checking the call came from our own page.
 */
export function registerIpc(wb: Workbench, devUrl?: string, desktop?: DesktopShell): () => void {
  const handlers: Handlers = {
    ...wb.handlers,
    ...desktopOverrides(wb),
    ...(desktop ? shellOverrides(wb, desktop) : {}),
  };
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, request: unknown) => {
    const frame = event.senderFrame;
    return routeInvoke(
      handlers,
      { frameUrl: frame?.url ?? null, isTopFrame: !!frame && !frame.parent },
      name,
      request,
      devUrl,
    );
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Fan a main-side event out to every window. */
export function broadcast<K extends EventName>(name: K, payload: EventPayloadOf<K>): void {
  for (const w of BrowserWindow.getAllWindows()) {
    if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL_PREFIX + name, payload);
  }
}

/** Channels only a desktop shell can answer properly: the OS file manager and native dialogs. */
function desktopOverrides(wb: Workbench): Pick<Handlers, 'artifacts:reveal' | 'dialog:openFolder'> {
  return {
    'artifacts:reveal': ({ artifactId }) => {
      const a = wb.ctx.store.getArtifact(artifactId);
      if (!a) throw new NotFoundError(`No artifact ${artifactId}`);
      shell.showItemInFolder(a.path);
      return { path: a.path, revealed: true };
    },
    'dialog:openFolder': async ({ title }) => {
      const win = BrowserWindow.getFocusedWindow();
      const opts = { title: title ?? 'Open crash folder', properties: ['openDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}

/** Preferences as the desktop shell sees them: the hotkey is (re-)registered and its real state told. */
function shellOverrides(
  wb: Workbench,
  desktop: DesktopShell,
): Pick<Handlers, 'preferences:get' | 'preferences:set'> {
  return {
    'preferences:get': async (req) => ({
      ...(await wb.handlers['preferences:get'](req)),
      hotkey: desktop.hotkeyStatus(),
    }),
    'preferences:set': async (req) => {
      const state = await wb.handlers['preferences:set'](req);
      return { ...state, hotkey: desktop.applyPreferences(state) };
    },
  };
}
