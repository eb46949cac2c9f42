import { create } from 'zustand';
import type { CrashLogAnalysis, CrashLogRules } from '../../../../shared/domain/crashlog';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

export type CrashLogView =
  'summary' | 'stack' | 'registers' | 'slots' | 'modules' | 'plugins' | 'objects' | 'raw' | 'rules';

interface CrashLogState {
  incidentId: string | null;
  loading: boolean;
  artifactId: number | null;
  analysis: CrashLogAnalysis | null;
  text: string | null;
  truncated: boolean;
  error: string | null;
  view: CrashLogView;
  /** Line the raw view should show (set from the outline). */
  rawLine: number | null;
  rules: CrashLogRules | null;
  rulesError: string | null;
  load(incidentId: string): Promise<void>;
  setView(view: CrashLogView): void;
  showRawLine(line: number): void;
  loadRules(): Promise<void>;
  setUserRules(enabled: boolean): Promise<void>;
}

/** The Crash log tab's data: one parsed log at a time, fetched by incident id through the contract. */
export const useCrashLogStore = create<CrashLogState>((set, get) => ({
  incidentId: null,
  loading: false,
  artifactId: null,
  analysis: null,
  text: null,
  truncated: false,
  error: null,
  view: 'summary',
  rawLine: null,
  rules: null,
  rulesError: null,
  async load(incidentId) {
    if (get().incidentId === incidentId && (get().analysis || get().loading)) return;
    set({
      incidentId,
      loading: true,
      error: null,
      analysis: null,
      text: null,
      artifactId: null,
      rawLine: null,
    });
    try {
      const r = await invoke('crashlog:parsed', { incidentId });
      if (get().incidentId !== incidentId) return;
      set({
        loading: false,
        artifactId: r.artifactId,
        analysis: r.analysis,
        text: r.text,
        truncated: r.truncated,
        error: r.error ?? (r.analysis ? null : 'This incident has no crash log.'),
      });
    } catch (e) {
      if (get().incidentId === incidentId) set({ loading: false, error: errorMessage(e) });
    }
  },
  setView: (view) => set({ view }),
  showRawLine: (line) => set({ view: 'raw', rawLine: line }),
  async loadRules() {
    try {
      set({ rules: await invoke('crashlog:rules', {}), rulesError: null });
    } catch (e) {
      set({ rulesError: errorMessage(e) });
    }
  },
  async setUserRules(enabled) {
    // The box follows the click at once; the answer (or an error) settles it.
    const before = get().rules;
    if (before) set({ rules: { ...before, userRulesEnabled: enabled } });
    try {
      set({ rules: await invoke('crashlog:setRules', { userRulesEnabled: enabled }), rulesError: null });
      // Findings in the tab come from the rules in force; re-read so the change shows.
      const id = get().incidentId;
      if (id) {
        set({ incidentId: null });
        await get().load(id);
      }
    } catch (e) {
      set({ rules: before, rulesError: errorMessage(e) });
    }
  },
}));
