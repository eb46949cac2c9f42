import { create } from 'zustand';
import type { EventPayloadOf, ResponseOf } from '../../../../shared/contract/index';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

type Suggestion = ResponseOf<'folders:suggest'>[number];
type ScanResult = ResponseOf<'incidents:scan'>;

interface FolderState {
  folders: string[];
  loaded: boolean;
  suggestions: Suggestion[];
  progress: EventPayloadOf<'scan:progress'> | null;
  lastScan: ScanResult | null;
  busy: 'add' | 'scan' | 'rebuild' | null;
  error: string | null;
  /** The typed-path dialog (serve mode, or a browser drop that carries no path). */
  pathPrompt: { open: boolean; hint: string | null };
  showPathPrompt(hint?: string | null): void;
  hidePathPrompt(): void;
  load(): Promise<void>;
  loadSuggestions(): Promise<void>;
  add(path: string): Promise<boolean>;
  remove(path: string): Promise<void>;
  rescan(): Promise<void>;
  rebuild(): Promise<void>;
  onProgress(p: EventPayloadOf<'scan:progress'>): void;
  clearError(): void;
}

export const useFolderStore = create<FolderState>((set, get) => ({
  folders: [],
  loaded: false,
  suggestions: [],
  progress: null,
  lastScan: null,
  busy: null,
  error: null,
  pathPrompt: { open: false, hint: null },
  showPathPrompt: (hint = null) => set({ pathPrompt: { open: true, hint }, error: null }),
  hidePathPrompt: () => set({ pathPrompt: { open: false, hint: null } }),
  async load() {
    try {
      set({ folders: await invoke('folders:list', {}), loaded: true });
    } catch (e) {
      set({ error: errorMessage(e), loaded: true });
    }
  },
  async loadSuggestions() {
    try {
      set({ suggestions: await invoke('folders:suggest', {}) });
    } catch {
      set({ suggestions: [] });
    }
  },
  async add(path) {
    const trimmed = path.trim();
    if (!trimmed) {
      set({ error: 'Type the path of a folder first.' });
      return false;
    }
    set({ busy: 'add', error: null });
    try {
      set({ folders: await invoke('folders:add', { path: trimmed }) });
      return true;
    } catch (e) {
      const msg = errorMessage(e);
      set({
        error: msg.includes(trimmed) ? `Cannot open that folder. ${msg}` : `Cannot open "${trimmed}". ${msg}`,
      });
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async remove(path) {
    set({ error: null });
    try {
      set({ folders: await invoke('folders:remove', { path }) });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async rescan() {
    if (get().busy) return;
    set({ busy: 'scan', error: null });
    try {
      set({ lastScan: await invoke('incidents:scan', {}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    } finally {
      set({ busy: null });
    }
  },
  async rebuild() {
    if (get().busy) return;
    set({ busy: 'rebuild', error: null });
    try {
      set({ lastScan: await invoke('db:rebuild', {}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    } finally {
      set({ busy: null });
    }
  },
  onProgress(p) {
    set({ progress: p.done ? null : p });
  },
  clearError: () => set({ error: null }),
}));
