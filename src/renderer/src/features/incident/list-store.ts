import { create } from 'zustand';
import type {
  IncidentKind,
  IncidentSource,
  IncidentStatus,
  IncidentSummary,
} from '../../../../shared/domain/incident';
import { errorCode, invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { missingPages, withPage } from '../../lib/paged-rows';

/** Rows arrive in pages so a 10,000-incident index paints after one small request. */
export const PAGE_SIZE = 200;

export interface ListFilters {
  search: string;
  kind: IncidentKind | '';
  source: IncidentSource | '';
  status: IncidentStatus | '';
}

interface ListState {
  filters: ListFilters;
  total: number;
  /** Sparse: index → row; pages not fetched yet are holes. */
  rows: (IncidentSummary | undefined)[];
  loadedOnce: boolean;
  loading: boolean;
  error: string | null;
  /** Set when the index itself is unusable (locked, corrupt): the UI then offers a rebuild. */
  indexProblem: boolean;
  selected: number;
  /** Bumped on every refresh so answers to an older query are dropped. */
  generation: number;
  setFilters(patch: Partial<ListFilters>): void;
  refresh(): Promise<void>;
  ensureRange(start: number, end: number): void;
  select(index: number): void;
  patchRow(id: string, patch: Partial<IncidentSummary>): void;
}

const inFlight = new Set<string>();

/** Main names an unusable index (locked, corrupt, too new) with a store_* code on either transport. */
function isIndexProblem(e: unknown): boolean {
  return errorCode(e)?.startsWith('store_') ?? false;
}

function queryOf(f: ListFilters) {
  return {
    search: f.search.trim() || undefined,
    kind: f.kind || undefined,
    source: f.source || undefined,
    status: f.status || undefined,
  };
}

export const useListStore = create<ListState>((set, get) => {
  const fetchPage = async (page: number, generation: number): Promise<void> => {
    const key = `${generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const res = await invoke('incidents:list', {
        ...queryOf(get().filters),
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (get().generation !== generation) return;
      set({
        rows: withPage(get().rows, page, PAGE_SIZE, res.total, res.items),
        total: res.total,
        loadedOnce: true,
        loading: false,
        error: null,
        indexProblem: false,
        selected: Math.min(get().selected, Math.max(0, res.total - 1)),
      });
    } catch (e) {
      if (get().generation === generation)
        set({
          error: errorMessage(e),
          indexProblem: isIndexProblem(e),
          loading: false,
          loadedOnce: true,
        });
    } finally {
      inFlight.delete(key);
    }
  };

  return {
    filters: { search: '', kind: '', source: '', status: '' },
    total: 0,
    rows: [],
    loadedOnce: false,
    loading: false,
    error: null,
    indexProblem: false,
    selected: 0,
    generation: 0,
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch }, selected: 0 });
      void get().refresh();
    },
    async refresh() {
      const generation = get().generation + 1;
      set({ generation, loading: true });
      await fetchPage(0, generation);
    },
    ensureRange(start, end) {
      const { rows, total, generation, loadedOnce } = get();
      if (!loadedOnce) return;
      for (const p of missingPages(rows, total, PAGE_SIZE, start, end)) void fetchPage(p, generation);
    },
    select(index) {
      const { total } = get();
      if (total === 0) return;
      set({ selected: Math.max(0, Math.min(total - 1, index)) });
    },
    patchRow(id, patch) {
      const rows = get().rows.map((r) => (r && r.id === id ? { ...r, ...patch } : r));
      set({ rows });
    },
  };
});
