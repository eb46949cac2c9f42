import { create } from 'zustand';
import type { LogPatternSort, LogSummaryHead } from '../../../../shared/contract/logs';
import type { KeptLine, LogPattern, LogSeverity } from '../../../../shared/domain/logs';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { missingPages, withPage, type PagedRows } from '../../lib/paged-rows';

/** Patterns arrive in pages as the table scrolls (a log can have thousands). */
export const PATTERN_PAGE = 500;
/** Lines in the raw view at a time; a jump puts its target a quarter of the way down. */
export const RAW_WINDOW = 1000;

export interface LogFilters {
  text: string;
  severity: LogSeverity[];
  sort: LogPatternSort;
}

export interface RawState {
  fromLine: number;
  toLine: number;
  text: string;
  totalLines: number;
  longLines: number;
  eof: boolean;
  /** Line (of the file) to scroll to and mark. */
  focus: number | null;
}

interface LogsState {
  artifactId: number | null;
  /** Size and mtime of the file the state was read from: a rescan that changed it reloads. */
  version: string | null;
  filters: LogFilters;
  total: number;
  /** Sparse: index → pattern; pages not fetched yet are holes. */
  rows: PagedRows<LogPattern>;
  summary: LogSummaryHead | null;
  keptLines: KeptLine[] | null;
  source: 'index' | 'fresh' | null;
  loading: boolean;
  error: string | null;
  generation: number;
  selectedId: number | null;
  raw: RawState | null;
  rawLoading: boolean;
  rawError: string | null;
  open(artifactId: number, version: string): Promise<void>;
  setFilters(patch: Partial<LogFilters>): void;
  ensureRange(start: number, end: number): void;
  /** Selects a pattern and shows its first (or last) line in the raw view. */
  select(p: LogPattern, which?: 'first' | 'last'): void;
  jumpTo(line: number): Promise<void>;
  /** Loads the window before or after the one shown. */
  shift(direction: -1 | 1): Promise<void>;
}

const inFlight = new Set<string>();

export const useLogsStore = create<LogsState>((set, get) => {
  const fetchPage = async (page: number, generation: number): Promise<void> => {
    const { artifactId, filters } = get();
    if (artifactId === null) return;
    const key = `${generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const res = await invoke('logs:patterns', {
        artifactId,
        text: filters.text.trim() || undefined,
        severity: filters.severity.length ? filters.severity : undefined,
        sort: filters.sort,
        offset: page * PATTERN_PAGE,
        limit: PATTERN_PAGE,
      });
      if (get().generation !== generation) return;
      set({
        rows: withPage(get().rows, page, PATTERN_PAGE, res.total, res.items),
        total: res.total,
        summary: res.summary,
        source: res.source,
        loading: false,
        error: null,
        ...(res.keptLines ? { keptLines: res.keptLines } : {}),
      });
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: errorMessage(e) });
    } finally {
      inFlight.delete(key);
    }
  };

  const loadRaw = async (fromLine: number, focus: number | null): Promise<void> => {
    const artifactId = get().artifactId;
    if (artifactId === null) return;
    set({ rawLoading: true });
    try {
      const w = await invoke('logs:raw', { artifactId, fromLine, lineCount: RAW_WINDOW });
      if (get().artifactId !== artifactId) return;
      set({ raw: { ...w, focus }, rawLoading: false, rawError: null });
    } catch (e) {
      if (get().artifactId === artifactId) set({ rawLoading: false, rawError: errorMessage(e) });
    }
  };

  const refresh = async (): Promise<void> => {
    const generation = get().generation + 1;
    set({ generation, loading: true });
    await fetchPage(0, generation);
  };

  return {
    artifactId: null,
    version: null,
    filters: { text: '', severity: [], sort: 'severity' },
    total: 0,
    rows: [],
    summary: null,
    keptLines: null,
    source: null,
    loading: false,
    error: null,
    generation: 0,
    selectedId: null,
    raw: null,
    rawLoading: false,
    rawError: null,
    async open(artifactId, version) {
      if (get().artifactId === artifactId && get().version === version && get().summary) return;
      set({
        artifactId,
        version,
        rows: [],
        total: 0,
        summary: null,
        keptLines: null,
        selectedId: null,
        raw: null,
        error: null,
        rawError: null,
      });
      await Promise.all([refresh(), loadRaw(1, null)]);
    },
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
      void refresh();
    },
    ensureRange(start, end) {
      const { rows, total, generation } = get();
      for (const p of missingPages(rows, total, PATTERN_PAGE, start, end)) void fetchPage(p, generation);
    },
    select(p, which = 'first') {
      set({ selectedId: p.id });
      void get().jumpTo(which === 'first' ? p.firstLine : p.lastLine);
    },
    async jumpTo(line) {
      const raw = get().raw;
      // Inside the window shown (and not at its very edge): just move the mark.
      if (raw && line >= raw.fromLine && line <= raw.toLine && raw.text !== '') {
        set({ raw: { ...raw, focus: line } });
        return;
      }
      await loadRaw(Math.max(1, line - Math.floor(RAW_WINDOW / 4)), line);
    },
    async shift(direction) {
      const raw = get().raw;
      if (!raw) return;
      const from = direction < 0 ? Math.max(1, raw.fromLine - RAW_WINDOW) : raw.toLine + 1;
      await loadRaw(from, null);
    },
  };
});
