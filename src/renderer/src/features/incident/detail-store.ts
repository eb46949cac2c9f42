import { create } from 'zustand';
import type { IncidentDetail, IncidentStatus } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { useListStore } from './list-store';

interface DetailState {
  openId: string | null;
  detail: IncidentDetail | null;
  loading: boolean;
  error: string | null;
  tab: string;
  open(id: string): Promise<void>;
  reload(): Promise<void>;
  close(): void;
  setTab(tab: string): void;
  setStatus(status: IncidentStatus): Promise<void>;
  saveNotes(id: string, notes: string): Promise<boolean>;
}

export const useDetailStore = create<DetailState>((set, get) => ({
  openId: null,
  detail: null,
  loading: false,
  error: null,
  tab: 'overview',
  async open(id) {
    set({ openId: id, loading: true, error: null, detail: get().detail?.id === id ? get().detail : null });
    await get().reload();
  },
  async reload() {
    const id = get().openId;
    if (!id) return;
    try {
      const detail = await invoke('incidents:get', { id });
      if (get().openId !== id) return;
      set({ detail, loading: false, error: detail ? null : 'This incident is no longer in the index.' });
    } catch (e) {
      if (get().openId === id) set({ loading: false, error: errorMessage(e) });
    }
  },
  close: () => set({ openId: null, detail: null, error: null, loading: false }),
  setTab: (tab) => set({ tab }),
  async setStatus(status) {
    const d = get().detail;
    if (!d) return;
    // The status shows at once in the detail and the list; if main refuses, the old one returns
    // (unless the user picked yet another status meanwhile).
    const before = d.status;
    set({ detail: { ...d, status } });
    useListStore.getState().patchRow(d.id, { status });
    try {
      await invoke('incidents:setStatus', { id: d.id, status });
    } catch (e) {
      const now = get().detail;
      if (now?.id === d.id && now.status === status) set({ detail: { ...now, status: before } });
      if (useListStore.getState().rows.find((r) => r?.id === d.id)?.status === status)
        useListStore.getState().patchRow(d.id, { status: before });
      set({ error: errorMessage(e) });
    }
  },
  async saveNotes(id, notes) {
    try {
      const r = await invoke('incidents:setNotes', { id, notes });
      const d = get().detail;
      if (r.ok && d?.id === id) set({ detail: { ...d, notes } });
      return r.ok;
    } catch (e) {
      set({ error: errorMessage(e) });
      return false;
    }
  },
}));
