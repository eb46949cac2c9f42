import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type SaveDialogOptions,
} from 'electron';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventName, EventPayloadOf, Handlers } from '../shared/contract/index';
import { EVENT_CHANNEL_PREFIX, GRANT_CHANNEL, INVOKE_CHANNEL } from '../shared/contract/ipc-names';
import { NotFoundError } from './dispatch-errors';
import { bundleFileName } from './export/bundle-writer';
import { isAppPage, routeInvoke } from './ipc-router';
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
  // The preload reports the path of a file or folder the user dropped or picked (a File backed
  // by the OS: a page cannot make one up), so handlers accept that path (path-check.ts).
  const onGrant = (event: IpcMainEvent, path: unknown) => {
    const frame = event.senderFrame;
    event.returnValue = false;
    if (!frame || frame.parent || !isAppPage(frame.url, devUrl) || typeof path !== 'string' || !path) return;
    try {
      if (statSync(path).isDirectory()) wb.ctx.grants.grantFolder(path);
      else wb.ctx.grants.grantFile(path);
      event.returnValue = true;
    } catch {
      // Vanished since the drop: nothing to grant.
    }
  };
  ipcMain.on(GRANT_CHANNEL, onGrant);
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeListener(GRANT_CHANNEL, onGrant);
  };
}

/** Fan a main-side event out to every window. */
export function broadcast<K extends EventName>(name: K, payload: EventPayloadOf<K>): void {
  for (const w of BrowserWindow.getAllWindows()) {
    if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL_PREFIX + name, payload);
  }
}

/** Channels only a desktop shell can answer properly: the OS file manager and native dialogs. */
function desktopOverrides(
  wb: Workbench,
): Pick<Handlers, 'artifacts:reveal' | 'dialog:openFolder' | 'bundle:saveDialog'> {
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
      const picked = r.canceled ? null : (r.filePaths[0] ?? null);
      if (picked) wb.ctx.grants.grantFolder(picked);
      return picked;
    },
    // The bundle goes where the user says; the dialog asks before replacing a file (Linux too).
    'bundle:saveDialog': async ({ incidentId, preset }) => {
      const incident = wb.ctx.store.get(incidentId);
      if (!incident) throw new NotFoundError(`No incident ${incidentId}`);
      const win = BrowserWindow.getFocusedWindow();
      const opts: SaveDialogOptions = {
        title: preset === 'public' ? 'Save redacted bundle' : 'Save full (unredacted) bundle',
        defaultPath: join(app.getPath('downloads'), bundleFileName(incident, preset, new Date())),
        filters: [{ name: 'CTD Workbench bundle', extensions: ['zip'] }],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      if (r.canceled || !r.filePath) return null;
      const path = /\.zip$/i.test(r.filePath) ? r.filePath : `${r.filePath}.zip`;
      return { token: wb.ctx.grants.grantSave(path), fileName: basename(path), path };
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
