import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  protocol,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { broadcast, registerIpc } from './ipc';
import { APP_ORIGIN, isAppPage } from './ipc-router';
import { contentSecurityPolicy } from './server/csp';
import { contentTypeOf } from './server/mime';
import { createWorkbench, type Workbench } from './workbench';

/**
 * Electron entry: builds the same services as serve mode and the CLI, then opens one hardened
 * window. Everything privileged stays here and in ipc.ts.
 *
 * The renderer is served from a private `app://ctd/` scheme rather than file://: 'self' in the
 * CSP then means exactly our bundle, module workers (Monaco) load, and no other local file is
 * reachable from the page.
 */

const devUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = resolve(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const isOurPage = (url: string): boolean => isAppPage(url, devUrl);

function serveRenderer(): void {
  const csp = contentSecurityPolicy();
  protocol.handle('app', async (req) => {
    const url = new URL(req.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = resolve(rendererDir, '.' + rel);
    // Only files inside the built renderer, whatever the path says.
    if (url.host !== 'ctd' || (file !== rendererDir && !file.startsWith(rendererDir + sep)))
      return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

let workbench: Workbench | null = null;

function hardenSession(): void {
  // Built pages get the CSP header from serveRenderer(); the dev server's page keeps the
  // (dev-relaxed) meta policy, because React's fast refresh needs an inline preamble.
  // Nothing but our own scheme (and the dev server) may be fetched by the page.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url;
    const ok =
      u.startsWith(APP_ORIGIN + '/') ||
      u.startsWith('devtools://') ||
      u.startsWith('blob:') ||
      u.startsWith('data:') ||
      (!!devUrl &&
        (u.startsWith(new URL(devUrl).origin) ||
          u.startsWith(new URL(devUrl).origin.replace(/^http/, 'ws'))));
    callback({ cancel: !ok });
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
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
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
  serveRenderer();
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
  registerIpc(workbench, devUrl);
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
