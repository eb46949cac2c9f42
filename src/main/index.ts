import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell, type MenuItemConstructorOptions } from 'electron';
import { broadcast, registerIpc } from './ipc';
import { contentSecurityPolicy } from './server/csp';
import { createWorkbench, type Workbench } from './workbench';

/**
 * Electron entry: builds the same services as serve mode and the CLI, then opens one hardened
 * window. Everything privileged stays here and in ipc.ts.
 */
const devUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '..', 'renderer', 'index.html');
const rendererFileUrl = pathToFileURL(rendererFile).toString();

function isOurPage(url: string): boolean {
  if (devUrl) return url.startsWith(new URL(devUrl).origin + '/');
  // Hash routes are fine; any other file (or a remote page) is not ours.
  return (
    url === rendererFileUrl || url.startsWith(rendererFileUrl + '#') || url.startsWith(rendererFileUrl + '?')
  );
}

let workbench: Workbench | null = null;

function hardenSession(): void {
  const csp = contentSecurityPolicy(devUrl ? new URL(devUrl).origin.replace(/^http/, 'ws') : undefined);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // No camera, notifications, geolocation...: a triage tool needs none of them.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (!isOurPage(url)) ev.preventDefault();
  });
  contents.on('will-redirect', (ev, url) => {
    if (!isOurPage(url)) ev.preventDefault();
  });
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 820,
    minHeight: 520,
    show: false,
    title: 'CTD Workbench',
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererFile);
  return win;
}

async function openFolderFromMenu(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow();
  const opts = { title: 'Open crash folder', properties: ['openDirectory' as const] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const folder = r.filePaths[0];
  if (r.canceled || !folder || !workbench) return;
  try {
    // addFolder scans and emits incidents:changed, so the open window refreshes itself.
    await workbench.ctx.sources.addFolder(folder);
  } catch (e) {
    dialog.showErrorBox('Cannot open folder', (e as Error).message);
  }
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => void openFolderFromMenu() },
        {
          label: 'Rescan Folders',
          accelerator: 'F5',
          click: () => void workbench?.ctx.sources.scan().catch(() => undefined),
        },
        {
          label: 'Show Data Folder',
          click: () => void shell.openPath(workbench?.ctx.dataDir ?? app.getPath('userData')),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'About CTD Workbench',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'CTD Workbench',
              message: `CTD Workbench ${app.getVersion()}`,
              detail: `Data folder: ${workbench?.ctx.dataDir ?? app.getPath('userData')}`,
            }),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  try {
    workbench = await createWorkbench({
      transport: 'electron',
      // CTD_DATA_DIR lets tests (and portable setups) keep data away from the user profile.
      dataDir: process.env.CTD_DATA_DIR || app.getPath('userData'),
      watch: true,
      emit: broadcast,
      appVersion: app.getVersion(),
    });
  } catch (e) {
    dialog.showErrorBox('CTD Workbench cannot start', (e as Error).message);
    app.exit(2);
    return;
  }
  registerIpc(workbench, isOurPage);
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const w = BrowserWindow.getAllWindows()[0];
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void workbench?.close();
  });
  void start();
}
