import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract/index';
import { invoke } from '../api/client';

type AppInfo = ResponseOf<'app:info'>;

interface AppState {
  view: string;
  info: AppInfo | null;
  /** A transient message shown in the status bar (drop results, copy confirmations). */
  toast: { text: string; tone: 'info' | 'error' } | null;
  setView(view: string): void;
  loadInfo(): Promise<void>;
  notify(text: string, tone?: 'info' | 'error'): void;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export const useAppStore = create<AppState>((set) => ({
  view: 'incidents',
  info: null,
  toast: null,
  setView: (view) => set({ view }),
  async loadInfo() {
    try {
      set({ info: await invoke('app:info', {}) });
    } catch {
      // The status bar just shows less; the list surfaces connection errors itself.
    }
  },
  notify(text, tone = 'info') {
    clearTimeout(toastTimer);
    set({ toast: { text, tone } });
    toastTimer = setTimeout(() => set({ toast: null }), tone === 'error' ? 8000 : 4000);
  },
}));
