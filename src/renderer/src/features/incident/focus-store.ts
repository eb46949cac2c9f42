import { create } from 'zustand';
import type { TimelineRef } from '../../../../shared/domain/timeline';
import { useDetailStore } from './detail-store';

/**
 * "Open this event in its own tab": a view (the Timeline) asks for a tab and a place in an
 * artifact; the tab takes the request once its data is loaded and shows that place (a log
 * line, an ETW event, a thread). A request no tab takes is simply dropped by the next one.
 */
interface FocusState {
  pending: { tab: string; ref: TimelineRef } | null;
  request(tab: string, ref: TimelineRef): void;
  /** The request for `tab`, once: later calls return null. */
  take(tab: string): TimelineRef | null;
}

export const useFocusStore = create<FocusState>((set, get) => ({
  pending: null,
  request: (tab, ref) => set({ pending: { tab, ref } }),
  take(tab) {
    const p = get().pending;
    if (!p || p.tab !== tab) return null;
    set({ pending: null });
    return p.ref;
  },
}));

/** Peeks at a request without taking it (a tab picks its artifact before loading). */
export function peekFocus(tab: string): TimelineRef | null {
  const p = useFocusStore.getState().pending;
  return p && p.tab === tab ? p.ref : null;
}

export function takeFocus(tab: string): TimelineRef | null {
  return useFocusStore.getState().take(tab);
}

/** The tab that shows an artifact of this role. */
export function tabForRole(role: string | null): string {
  switch (role) {
    case 'dump':
      return 'crash';
    case 'crashlog':
      return 'crashlog';
    case 'papyrus':
    case 'log':
      return 'logs';
    case 'etl':
      return 'etw';
    case 'wct':
      return 'hang';
    case 'manifest':
      return 'manifest';
    default:
      return 'files';
  }
}

/** Switches the detail view to the tab of `ref`'s artifact, focused on its place. */
export function openInTab(ref: TimelineRef): void {
  const tab = tabForRole(ref.role);
  useFocusStore.getState().request(tab, ref);
  useDetailStore.getState().setTab(tab);
}
