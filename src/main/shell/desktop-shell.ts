import type { EventName, EventPayloadOf, Handlers } from '../../shared/contract/index';
import type { HotkeyStatus, PreferencesState } from '../../shared/contract/preferences';
import { GAME_LABEL } from '../../shared/domain/game';
import { cancelActiveEtw } from '../capture/wpr';
import { quickCapture } from '../capture/quick-capture';
import type { ShellElectron } from './electron-like';
import { CaptureHotkey } from './hotkey';
import { installQuitCleanup } from './quit-cleanup';
import { TrayItem } from './tray';

export interface DesktopShellOptions {
  /** The contract handlers (capture and preferences are used). */
  handlers: Handlers;
  iconPath: string;
  /** Bring the main window up (creating it if it was closed). */
  showWindow(): void;
  /** Ask the window to open an incident (a notification was clicked). */
  openIncident(id: string): void;
  /** Closes the services (index, watchers) at quit, after the trace cleanup. */
  close(): Promise<void>;
}

export interface DesktopShell {
  /** Whether the tray item is up (closing the window then keeps the app running). */
  hasTray(): boolean;
  /** Re-applies the hotkey from the preferences; returns its real state. */
  applyPreferences(state: PreferencesState): HotkeyStatus;
  hotkeyStatus(): HotkeyStatus;
  /** Sees every main → renderer event (new incidents become desktop notifications). */
  onEvent<K extends EventName>(name: K, payload: EventPayloadOf<K>): void;
  /** The hotkey and tray action: capture the running or frozen game now. */
  capture(trigger: 'hotkey' | 'tray'): Promise<void>;
}

/**
 * The desktop shell around the services: global capture hotkey, tray item, desktop
 * notifications, and the cleanup at quit. Electron comes in as `electron` (see
 * electron-like.ts), so all of it runs under test with stubs.
 */
export async function startDesktopShell(
  electron: ShellElectron,
  o: DesktopShellOptions,
): Promise<DesktopShell> {
  let busy = false;
  const notify = (title: string, body: string, onClick?: () => void): void => {
    const n = electron.createNotification({ title, body });
    if (!n) return;
    if (onClick) n.on('click', onClick);
    n.show();
  };
  const capture = async (trigger: 'hotkey' | 'tray'): Promise<void> => {
    if (busy) return;
    busy = true;
    tray?.update(hotkey.accelerator, true);
    try {
      const r = await quickCapture(o.handlers, trigger);
      // The game is likely full screen: say what happened where it shows.
      const id = 'incidentId' in r ? r.incidentId : null;
      notify(r.ok ? 'Captured' : 'Nothing captured', r.message, () => {
        o.showWindow();
        if (id) o.openIncident(id);
      });
    } catch (e) {
      notify('Capture failed', (e as Error).message, o.showWindow);
    } finally {
      busy = false;
      tray?.update(hotkey.accelerator, false);
    }
  };
  const hotkey = new CaptureHotkey(electron.globalShortcut, () => void capture('hotkey'));
  // A desktop without a tray area must not keep the app from starting: no tray item then.
  let tray: TrayItem | null = null;
  try {
    tray = new TrayItem(electron, o.iconPath, {
      capture: () => void capture('tray'),
      show: o.showWindow,
      quit: () => electron.app.quit(),
    });
  } catch {
    tray = null;
  }
  const applyPreferences = (state: PreferencesState): HotkeyStatus => {
    const s = hotkey.apply(state.prefs.captureHotkey);
    tray?.update(hotkey.accelerator, busy);
    return s;
  };
  applyPreferences(await o.handlers['preferences:get']({}));

  installQuitCleanup(electron.app, async () => {
    // No trace session may outlive the app: wpr -cancel for every recording still running.
    await cancelActiveEtw();
    hotkey.release();
    tray?.destroy();
    await o.close();
  });

  return {
    hasTray: () => tray !== null,
    applyPreferences,
    hotkeyStatus: () => hotkey.state,
    capture,
    onEvent(name, payload) {
      if (name !== 'notify:newIncidents') return;
      const p = payload as EventPayloadOf<'notify:newIncidents'>;
      const first = p.items[0];
      if (!first) return;
      const what = first.kind === 'hang' ? 'hang' : 'crash';
      const game = first.game ? `${GAME_LABEL[first.game]} ` : '';
      if (p.total === 1)
        notify(`New ${game}${what}`, first.title, () => {
          o.showWindow();
          o.openIncident(first.id);
        });
      else notify(`${p.total} new crashes and hangs`, p.items.map((i) => i.title).join('\n'), o.showWindow);
    },
  };
}
