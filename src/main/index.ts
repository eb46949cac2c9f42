import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  globalShortcut,
  Menu,
  Notification,
  protocol,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import type { EventName, EventPayloadOf } from '../shared/contract/index';
import { broadcast, registerIpc } from './ipc';
import { APP_ORIGIN, isAppPage } from './ipc-router';
import { contentSecurityPolicy } from './server/csp';
import { contentTypeOf } from './server/mime';
import { startDesktopShell, type DesktopShell } from './shell/desktop-shell';
import type { MenuItemLike, ShellElectron } from './shell/electron-like';
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
let desktop: DesktopShell | null = null;

/** Packaged: resources/icon.png beside the asar (electron-builder extraResources); dev: the repo's. */
const iconPath = app.isPackaged
  ? join(process.resourcesPath, 'icon.png')
  : resolve(__dirname, '..', '..', 'resources', 'icon.png');

/** The Electron side of the shell's injected interface (shell/electron-like.ts). */
const shellElectron: ShellElectron = {
  app,
  globalShortcut,
  createTray: (icon) => new Tray(icon),
  buildMenu: (items: MenuItemLike[]) => Menu.buildFromTemplate(items as MenuItemConstructorOptions[]),
  createNotification: (opts) => (Notification.isSupported() ? new Notification(opts) : null),
};

/** The window, brought up (or created again after it was closed to the tray). */
function showWindow(): void {
  const w = BrowserWindow.getAllWindows()[0] ?? createWindow();
  if (w.isMinimized()) w.restore();
  w.show();
  w.focus();
}

/** Renderer events go to every window; the shell sees them too (desktop notifications). */
function emit<K extends EventName>(name: K, payload: EventPayloadOf<K>): void {
  broadcast(name, payload);
  desktop?.onEvent(name, payload);
}

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
      emit,
      appVersion: app.getVersion(),
    });
  } catch (e) {
    dialog.showErrorBox('CTD Workbench cannot start', (e as Error).message);
    app.exit(2);
    return;
  }
  const wb = workbench;
  desktop = await startDesktopShell(shellElectron, {
    handlers: wb.handlers,
    iconPath,
    showWindow,
    openIncident: (id) => broadcast('notify:open', { id }),
    close: () => wb.close(),
  });
  registerIpc(wb, devUrl, desktop);
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
  // Closing the window keeps the app in the tray (hotkey and capture stay available); Quit in
  // the tray or the File menu ends it, after the shell's cleanup (shell/quit-cleanup.ts).
  app.on('window-all-closed', () => {
    if (!desktop?.hasTray() && process.platform !== 'darwin') app.quit();
  });
  void start();
}
