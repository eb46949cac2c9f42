import { create } from 'zustand';
import type { RequestOf } from '../../../../shared/contract/index';
import type { BisectStatus, SetupInstanceSummary } from '../../../../shared/domain/setup';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

interface SetupState {
  instances: SetupInstanceSummary[];
  loaded: boolean;
  busy: boolean;
  error: string | null;
  bisect: BisectStatus | null;
  bisectBusy: boolean;
  bisectError: string | null;
  /** The profile the Folders view's "Bisect…" picked, for the Bisect view's form. */
  bisectProfile: string | null;
  load(): Promise<void>;
  add(path: string): Promise<boolean>;
  remove(path: string): Promise<void>;
  loadBisect(): Promise<void>;
  startBisect(req: RequestOf<'bisect:start'>): Promise<void>;
  answer(answer: 'good' | 'bad'): Promise<void>;
  resetBisect(keepFolders?: boolean): Promise<string[]>;
  pickBisectProfile(dir: string | null): void;
  clearError(): void;
}

/** Mod setups (Folders view), the guided bisect (Bisect view). */
export const useSetupStore = create<SetupState>((set, get) => {
  const bisectCall = async (fn: () => Promise<BisectStatus>) => {
    set({ bisectBusy: true, bisectError: null });
    try {
      set({ bisect: await fn() });
    } catch (e) {
      set({ bisectError: errorMessage(e) });
    } finally {
      set({ bisectBusy: false });
    }
  };
  return {
    instances: [],
    loaded: false,
    busy: false,
    error: null,
    bisect: null,
    bisectBusy: false,
    bisectError: null,
    bisectProfile: null,
    async load() {
      try {
        set({ instances: await invoke('setup:instances', {}), loaded: true });
      } catch (e) {
        set({ error: errorMessage(e), loaded: true });
      }
    },
    async add(path) {
      const trimmed = path.trim();
      if (!trimmed) {
        set({ error: 'Type the path of an MO2 instance or a Vortex folder first.' });
        return false;
      }
      set({ busy: true, error: null });
      try {
        await invoke('setup:add', { path: trimmed });
        await get().load();
        return true;
      } catch (e) {
        set({ error: errorMessage(e) });
        return false;
      } finally {
        set({ busy: false });
      }
    },
    async remove(path) {
      try {
        await invoke('setup:remove', { path });
        await get().load();
      } catch (e) {
        set({ error: errorMessage(e) });
      }
    },
    async loadBisect() {
      try {
        set({ bisect: await invoke('bisect:status', {}) });
      } catch (e) {
        set({ bisectError: errorMessage(e) });
      }
    },
    startBisect: (req) => bisectCall(() => invoke('bisect:start', req)),
    answer: (answer) => bisectCall(() => invoke('bisect:answer', { answer })),
    async resetBisect(keepFolders = false) {
      set({ bisectBusy: true, bisectError: null });
      try {
        const r = await invoke('bisect:reset', { keepFolders });
        set({ bisect: r.status });
        void get().load();
        return r.removed;
      } catch (e) {
        set({ bisectError: errorMessage(e) });
        return [];
      } finally {
        set({ bisectBusy: false });
      }
    },
    pickBisectProfile: (dir) => set({ bisectProfile: dir }),
    clearError: () => set({ error: null }),
  };
});
