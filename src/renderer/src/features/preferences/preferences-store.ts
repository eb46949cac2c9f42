import { create } from 'zustand';
import type {
  Preferences,
  PreferencesState,
  RetentionReport,
  StorageUsage,
} from '../../../../shared/contract/preferences';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

interface PreferencesStore {
  state: PreferencesState | null;
  usage: StorageUsage | null;
  lastClean: RetentionReport | null;
  saving: boolean;
  cleaning: boolean;
  error: string | null;
  load(): Promise<void>;
  loadUsage(): Promise<void>;
  /** Saves some preferences; resolves false (with `error` set) when refused. */
  save(patch: Partial<Preferences>): Promise<boolean>;
  clean(): Promise<void>;
}

/** App preferences (hotkey, notifications, retention, symbols) and the data folder's storage. */
export const usePreferencesStore = create<PreferencesStore>((set, get) => ({
  state: null,
  usage: null,
  lastClean: null,
  saving: false,
  cleaning: false,
  error: null,
  async load() {
    try {
      set({ state: await invoke('preferences:get', {}), error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async loadUsage() {
    try {
      set({ usage: await invoke('storage:usage', {}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async save(patch) {
    set({ saving: true, error: null });
    try {
      set({ state: await invoke('preferences:set', patch), saving: false });
      if (patch.retention) void get().loadUsage();
      return true;
    } catch (e) {
      set({ saving: false, error: errorMessage(e) });
      return false;
    }
  },
  async clean() {
    set({ cleaning: true, error: null });
    try {
      const r = await invoke('storage:clean', {});
      set({ lastClean: r, usage: r.usage, cleaning: false });
    } catch (e) {
      set({ cleaning: false, error: errorMessage(e) });
    }
  },
}));
