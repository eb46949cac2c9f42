import { create } from 'zustand';
import type { GameFamily } from '../../../../shared/domain/game';
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
  game: GameFamily | '';
}

interface ListState {
  filters: ListFilters;
  /** Incidents matching the filters. */
  total: number;
  /** Every incident of the index, whatever the filters (the sidebar count). */
  allTotal: number;
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
    game: f.game || undefined,
  };
}

const NO_FILTERS: ListFilters = { search: '', kind: '', source: '', status: '', game: '' };
const filtered = (f: ListFilters) => !!(f.search.trim() || f.kind || f.source || f.status || f.game);

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
        ...(filtered(get().filters) ? {} : { allTotal: res.total }),
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
    filters: NO_FILTERS,
    total: 0,
    allTotal: 0,
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
      // With filters on, the unfiltered count is asked for separately (one row, count cached).
      const all = filtered(get().filters)
        ? invoke('incidents:list', { offset: 0, limit: 1 })
            .then((r) => set({ allTotal: r.total }))
            .catch(() => undefined)
        : null;
      await Promise.all([fetchPage(0, generation), all]);
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
