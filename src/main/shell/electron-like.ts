/**
 * The few pieces of Electron the desktop shell uses, as plain interfaces: the shell modules take
 * them injected, so they are tested in Node with stubs (no Electron binary here) and only
 * src/main/index.ts imports 'electron' itself.
 */
export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface MenuItemLike {
  label?: string;
  type?: 'separator' | 'normal';
  enabled?: boolean;
  click?: () => void;
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click' | 'double-click', listener: () => void): unknown;
  destroy(): void;
}

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent?: boolean;
}

export interface QuitEventLike {
  preventDefault(): void;
}

export interface AppLike {
  on(event: 'before-quit', listener: (e: QuitEventLike) => void): unknown;
  quit(): void;
}

export interface ShellElectron {
  app: AppLike;
  globalShortcut: GlobalShortcutLike;
  /** `new Tray(icon)` */
  createTray(iconPath: string): TrayLike;
  /** `Menu.buildFromTemplate(items)` */
  buildMenu(items: MenuItemLike[]): unknown;
  /** `new Notification(opts)`, or null where the OS has none (`Notification.isSupported()`). */
  createNotification(opts: NotificationOptionsLike): NotificationLike | null;
}
