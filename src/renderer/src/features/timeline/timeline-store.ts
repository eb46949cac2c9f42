import { create } from 'zustand';
import type { Timeline, TimelineProgress, TimelineSource } from '../../../../shared/domain/timeline';
import { getApi, invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

/** Zoom: the window around the incident, in ms either side (null: everything). */
export const ZOOMS: { id: string; label: string; ms: number | null }[] = [
  { id: '5s', label: '5 s', ms: 5_000 },
  { id: '30s', label: '30 s', ms: 30_000 },
  { id: '5m', label: '5 min', ms: 300_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: 'all', label: 'All', ms: null },
];

interface TimelineState {
  incidentId: string | null;
  timeline: Timeline | null;
  loading: boolean;
  error: string | null;
  progress: TimelineProgress | null;
  /** Sources hidden by the filter. */
  hidden: ReadonlySet<TimelineSource>;
  zoom: string;
  order: 'nearest' | 'time';
  load(incidentId: string): Promise<void>;
  toggle(source: TimelineSource): void;
  setZoom(zoom: string): void;
  setOrder(order: 'nearest' | 'time'): void;
}

let unsubscribe: (() => void) | null = null;

export const useTimelineStore = create<TimelineState>((set, get) => ({
  incidentId: null,
  timeline: null,
  loading: false,
  error: null,
  progress: null,
  hidden: new Set(),
  zoom: '30s',
  order: 'nearest',
  async load(incidentId) {
    if (get().incidentId === incidentId && (get().timeline || get().loading)) return;
    set({ incidentId, timeline: null, loading: true, error: null, progress: null });
    unsubscribe?.();
    unsubscribe = getApi().on('timeline:progress', (p) => {
      if (p.incidentId === get().incidentId) set({ progress: p });
    });
    try {
      const timeline = await invoke('timeline:get', { id: incidentId });
      if (get().incidentId !== incidentId) return;
      // Start where the story is: the last half minute before the crash, or everything when
      // nothing happened that close.
      const near = timeline.events.some((e) => e.source !== 'incident' && Math.abs(e.offsetMs) <= 30_000);
      set({ timeline, loading: false, progress: null, zoom: near ? '30s' : 'all' });
    } catch (e) {
      if (get().incidentId === incidentId) set({ loading: false, error: errorMessage(e), progress: null });
    }
  },
  toggle(source) {
    const hidden = new Set(get().hidden);
    if (hidden.has(source)) hidden.delete(source);
    else hidden.add(source);
    set({ hidden });
  },
  setZoom: (zoom) => set({ zoom }),
  setOrder: (order) => set({ order }),
}));
