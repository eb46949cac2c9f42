import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract/index';
import { invoke } from '../api/client';

type AppInfo = ResponseOf<'app:info'>;

interface AppState {
  view: string;
  info: AppInfo | null;
  /** A transient message shown in the status bar (drop results, copy confirmations). */
  toast: { text: string; tone: 'info' | 'error'; action?: ToastAction } | null;
  setView(view: string): void;
  loadInfo(): Promise<void>;
  notify(text: string, tone?: 'info' | 'error', action?: ToastAction): void;
}

/** A button on a toast ("Open" on a new-crash message). */
export interface ToastAction {
  label: string;
  run(): void;
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
  notify(text, tone = 'info', action) {
    clearTimeout(toastTimer);
    set({ toast: { text, tone, ...(action ? { action } : {}) } });
    // A toast with a button stays long enough to reach it.
    toastTimer = setTimeout(() => set({ toast: null }), tone === 'error' || action ? 8000 : 4000);
  },
}));
