import { acceleratorLabel } from '../../shared/domain/accelerator';
import type { MenuItemLike, ShellElectron, TrayLike } from './electron-like';

export interface TrayActions {
  capture(): void;
  show(): void;
  quit(): void;
}

/** The tray menu: capture now (with the hotkey, when one is set), open the window, quit. */
export function trayMenu(actions: TrayActions, hotkey: string | null, busy: boolean): MenuItemLike[] {
  const keys = hotkey ? `\t${acceleratorLabel(hotkey, process.platform)}` : '';
  return [
    { label: busy ? 'Capturing…' : `Capture the game now${keys}`, enabled: !busy, click: actions.capture },
    { label: 'Show CTD Workbench', click: actions.show },
    { type: 'separator' },
    { label: 'Quit', click: actions.quit },
  ];
}

/** The tray item the README promises; a click on the icon opens the window. */
export class TrayItem {
  private readonly tray: TrayLike;

  constructor(
    private readonly electron: Pick<ShellElectron, 'createTray' | 'buildMenu'>,
    iconPath: string,
    private readonly actions: TrayActions,
  ) {
    this.tray = electron.createTray(iconPath);
    this.tray.setToolTip('CTD Workbench');
    this.tray.on('click', actions.show);
    this.update(null, false);
  }

  update(hotkey: string | null, busy: boolean): void {
    this.tray.setContextMenu(this.electron.buildMenu(trayMenu(this.actions, hotkey, busy)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
