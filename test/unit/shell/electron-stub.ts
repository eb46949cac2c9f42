import { EventEmitter } from 'node:events';

/**
 * A stand-in for the 'electron' module (no Electron binary exists here): the pieces
 * src/main/index.ts and ipc.ts use, recording what the app did with them. Loaded through
 * vi.mock('electron') by desktop-shell.test.ts.
 */
interface MenuItemView {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export interface ElectronStub {
  /** What vi.mock('electron') returns. */
  module: { app: { quit(): void } } & Record<string, unknown>;
  invokeHandlers: Map<string, (...a: unknown[]) => unknown>;
  registered: Map<string, () => void>;
  taken: Set<string>;
  notifications: { title: string; body: string; click?: () => void }[];
  trays: {
    icon: string;
    tooltip: string;
    menu: MenuItemView[];
    destroyed: boolean;
    listeners: Map<string, () => void>;
  }[];
  windows: { sent: [string, unknown][]; shown: number }[];
  quits: { asked: number; done: number };
}

export function electronStub(dataDir: string): ElectronStub {
  const invokeHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const eventHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const registered = new Map<string, () => void>();
  const taken = new Set<string>();
  const notifications: { title: string; body: string; click?: () => void }[] = [];
  const trays: FakeTray[] = [];
  const windows: FakeWindow[] = [];
  const quits = { asked: 0, done: 0 };

  class FakeWindow extends EventEmitter {
    sent: [string, unknown][] = [];
    shown = 0;
    webContents = { send: (ch: string, p: unknown) => this.sent.push([ch, p]) };
    constructor() {
      super();
      windows.push(this);
    }
    static getAllWindows = () => windows;
    static getFocusedWindow = () => windows[0] ?? null;
    loadURL = () => Promise.resolve();
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = () => undefined;
    show = () => void this.shown++;
    focus = () => undefined;
  }

  class FakeTray {
    tooltip = '';
    menu: MenuItemView[] = [];
    destroyed = false;
    listeners = new Map<string, () => void>();
    constructor(readonly icon: string) {
      trays.push(this);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: { items: FakeTray['menu'] }) {
      this.menu = m.items;
    }
    on(ev: string, l: () => void) {
      this.listeners.set(ev, l);
      return this;
    }
    destroy() {
      this.destroyed = true;
    }
  }

  class FakeNotification {
    static isSupported = () => true;
    click?: () => void;
    constructor(readonly opts: { title: string; body: string }) {}
    on(_ev: 'click', l: () => void) {
      this.click = l;
      return this;
    }
    show() {
      notifications.push({ ...this.opts, click: this.click });
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    getPath: () => dataDir,
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock: () => true,
    exit: (code: number) => {
      throw new Error(`app.exit(${code})`);
    },
    quit() {
      quits.asked++;
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) quits.done++;
    },
  });

  const module = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: (items: unknown[]) => ({ items }),
      setApplicationMenu: () => undefined,
    },
    globalShortcut: {
      register: (acc: string, cb: () => void) => {
        if (taken.has(acc)) return false;
        registered.set(acc, cb);
        return true;
      },
      unregister: (acc: string) => void registered.delete(acc),
    },
    ipcMain: {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => invokeHandlers.set(ch, fn),
      removeHandler: (ch: string) => invokeHandlers.delete(ch),
      // The grant channel (a path the user dropped or picked) is a one-way message.
      on: (ch: string, fn: (...a: unknown[]) => unknown) => eventHandlers.set(ch, fn),
      removeListener: (ch: string) => eventHandlers.delete(ch),
    },
    dialog: {
      showErrorBox: (title: string, msg: string) => {
        throw new Error(`${title}: ${msg}`);
      },
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
      showMessageBox: () => Promise.resolve({ response: 0 }),
      showSaveDialog: () => Promise.resolve({ canceled: true }),
    },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: () => undefined },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openPath: () => Promise.resolve(''), showItemInFolder: () => undefined },
  };

  return { module, invokeHandlers, registered, taken, notifications, trays, windows, quits };
}
