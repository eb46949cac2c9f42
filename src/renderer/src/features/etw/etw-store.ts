import { create } from 'zustand';
import type { EtwEventDetail, EtwEventRow, EtwSummary } from '../../../../shared/domain/etw';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

export const EVENT_PAGE = 200;

export interface EtwFilter {
  provider: string;
  event: string;
  pid: string;
}

interface EtwState {
  incidentId: string | null;
  artifactId: number | null;
  traces: { artifactId: number; name: string; size: number }[];
  summary: EtwSummary | null;
  loading: boolean;
  error: string | null;
  filter: EtwFilter;
  total: number;
  /** Loaded rows by index in the filtered, time-ordered list (sparse). */
  rows: Map<number, EtwEventRow>;
  rowsVersion: number;
  selected: EtwEventDetail | null;
  selectedError: string | null;
  load(incidentId: string, artifactId?: number): Promise<void>;
  setFilter(f: Partial<EtwFilter>): void;
  ensureRange(first: number, last: number): void;
  select(position: number): Promise<void>;
}

const EMPTY_FILTER: EtwFilter = { provider: '', event: '', pid: '' };

export const useEtwStore = create<EtwState>((set, get) => {
  const pending = new Set<string>();
  const ref = () => {
    const s = get();
    return s.artifactId !== null ? { artifactId: s.artifactId } : { incidentId: s.incidentId ?? '' };
  };
  const filterKey = () => JSON.stringify([get().artifactId, get().filter]);
  const fetchPage = async (page: number) => {
    const key = `${filterKey()}#${page}`;
    if (pending.has(key)) return;
    pending.add(key);
    const { filter } = get();
    const fk = filterKey();
    try {
      const r = await invoke('etw:events', {
        ...ref(),
        ...(filter.provider ? { provider: filter.provider } : {}),
        ...(filter.event ? { event: filter.event } : {}),
        ...(/^\d+$/.test(filter.pid) ? { pid: Number(filter.pid) } : {}),
        offset: page * EVENT_PAGE,
        limit: EVENT_PAGE,
      });
      if (filterKey() !== fk) return;
      const rows = new Map(get().rows);
      r.rows.forEach((row, i) => rows.set(r.offset + i, row));
      set({ rows, total: r.total, rowsVersion: get().rowsVersion + 1 });
    } catch (e) {
      if (filterKey() === fk) set({ error: errorMessage(e) });
    } finally {
      pending.delete(key);
    }
  };
  return {
    incidentId: null,
    artifactId: null,
    traces: [],
    summary: null,
    loading: false,
    error: null,
    filter: EMPTY_FILTER,
    total: 0,
    rows: new Map(),
    rowsVersion: 0,
    selected: null,
    selectedError: null,
    async load(incidentId, artifactId) {
      set({
        incidentId,
        artifactId: artifactId ?? null,
        loading: true,
        error: null,
        summary: null,
        filter: EMPTY_FILTER,
        rows: new Map(),
        total: 0,
        selected: null,
        selectedError: null,
      });
      try {
        const r = await invoke('etw:summary', artifactId !== undefined ? { artifactId } : { incidentId });
        if (get().incidentId !== incidentId) return;
        set({
          artifactId: r.artifactId,
          traces: r.traces,
          summary: r.summary,
          loading: false,
          error: r.error ?? (r.summary ? null : 'This incident has no ETW trace.'),
          total: r.summary?.events ?? 0,
        });
        if (r.summary) void fetchPage(0);
      } catch (e) {
        if (get().incidentId === incidentId) set({ loading: false, error: errorMessage(e) });
      }
    },
    setFilter(f) {
      set({
        filter: { ...get().filter, ...f },
        rows: new Map(),
        total: 0,
        rowsVersion: get().rowsVersion + 1,
      });
      void fetchPage(0);
    },
    ensureRange(first, last) {
      const rows = get().rows;
      for (let p = Math.floor(first / EVENT_PAGE); p <= Math.floor(last / EVENT_PAGE); p++)
        if (!rows.has(p * EVENT_PAGE)) void fetchPage(p);
    },
    async select(position) {
      try {
        const d = await invoke('etw:event', { ...ref(), position });
        set({ selected: d, selectedError: null });
      } catch (e) {
        set({ selected: null, selectedError: errorMessage(e) });
      }
    },
  };
});
