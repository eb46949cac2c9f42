import type { Handlers } from '../../../shared/contract/index';
import type { HotkeyStatus } from '../../../shared/contract/preferences';
import type { WorkbenchContext } from '../../context';
import { storageUsage } from './retention';
import { readPreferences, writePreferences } from './preferences';
import { storeSettings } from './settings-access';

/** Without the desktop shell (serve mode, CLI) there is no global hotkey to register. */
const NO_SHELL: HotkeyStatus = {
  state: 'unavailable',
  message: 'The global hotkey and the tray item are part of the desktop app; here, use the Capture view.',
};

type PreferenceHandlers = Pick<
  Handlers,
  'preferences:get' | 'preferences:set' | 'storage:usage' | 'storage:clean'
>;

/**
 * Preferences and storage. The desktop shell (ipc.ts) wraps preferences:get/set to apply the
 * hotkey and report its real state; retention itself runs in workbench.ts after each capture
 * and import (storage/retention-sources.ts).
 */
export function preferencesHandlers(ctx: WorkbenchContext): PreferenceHandlers {
  const settings = storeSettings(ctx.store);
  return {
    'preferences:get': () => ({ prefs: readPreferences(settings), hotkey: NO_SHELL }),
    'preferences:set': (patch) => ({ prefs: writePreferences(settings, patch), hotkey: NO_SHELL }),
    'storage:usage': () => storageUsage(ctx.dirs, readPreferences(settings).retention),
    'storage:clean': async () => {
      if (!ctx.storage) throw new Error('Storage retention is not available in this build.');
      return ctx.storage.clean();
    },
  };
}
