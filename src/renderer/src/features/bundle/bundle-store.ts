import { create } from 'zustand';
import type { BundlePreview, ExportResult, IssueReport } from '../../../../shared/contract/bundle';
import type { BundlePreset } from '../../../../shared/domain/bundle';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { errorCode, getApi, invoke } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { errorMessage } from '../../lib/format';
import { useDetailStore } from '../incident/detail-store';
import { useListStore } from '../incident/list-store';
import { copyText, downloadExport, importBundleFile } from './transfer';

export interface ExportProgress {
  phase: string;
  bytesDone: number;
  bytesTotal: number;
  message: string;
}

interface BundleState {
  /** The export dialog (null: closed). */
  dialog: {
    incidentId: string;
    preset: BundlePreset;
    includeEtl: boolean;
    stacksOnly: boolean;
    /** Artifact ids left out by the user. */
    unchecked: number[];
  } | null;
  preview: BundlePreview | null;
  previewing: boolean;
  jobId: string | null;
  progress: ExportProgress | null;
  result: ExportResult | null;
  error: string | null;
  downloading: boolean;
  importing: { name: string; sent: number; total: number } | null;
  issue: IssueReport | null;
  issueOpen: boolean;
  issueCopied: boolean;
  /** The "always redact" words (a setting, shared by every export and issue report). */
  words: string[] | null;
  saveWords(words: string[]): Promise<void>;
  openExport(incident: IncidentDetail): void;
  closeExport(): void;
  setOption(
    p: Partial<Pick<NonNullable<BundleState['dialog']>, 'preset' | 'includeEtl' | 'stacksOnly'>>,
  ): void;
  toggleArtifact(id: number): void;
  loadPreview(): Promise<void>;
  startExport(): Promise<void>;
  cancelExport(): Promise<void>;
  download(): Promise<void>;
  importFiles(files: File[]): Promise<void>;
  copyIssue(incidentId: string): Promise<void>;
  closeIssue(): void;
}

let previewSeq = 0;

/** The dialog's choices as a request; artifactIds only once the user unchecked a file the preview listed. */
function exportOptions(d: NonNullable<BundleState['dialog']>, preview: BundlePreview | null) {
  const all = preview?.files.map((f) => f.artifactId);
  return {
    incidentId: d.incidentId,
    preset: d.preset,
    includeEtl: d.includeEtl,
    stacksOnly: d.stacksOnly,
    ...(all && d.unchecked.length ? { artifactIds: all.filter((id) => !d.unchecked.includes(id)) } : {}),
  };
}

export const useBundleStore = create<BundleState>((set, get) => ({
  dialog: null,
  preview: null,
  previewing: false,
  jobId: null,
  progress: null,
  result: null,
  error: null,
  downloading: false,
  importing: null,
  issue: null,
  issueOpen: false,
  issueCopied: false,
  words: null,
  async saveWords(words) {
    try {
      const r = await invoke('bundle:setSettings', { extraWords: words });
      set({ words: r.extraWords });
      void get().loadPreview();
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },

  openExport(incident) {
    set({
      dialog: {
        incidentId: incident.id,
        preset: 'public',
        includeEtl: false,
        stacksOnly: false,
        unchecked: [],
      },
      preview: null,
      result: null,
      error: null,
      progress: null,
    });
    void get().loadPreview();
    void invoke('bundle:settings', {})
      .then((r) => set({ words: r.extraWords }))
      .catch(() => undefined);
  },
  closeExport() {
    if (get().jobId) return;
    set({ dialog: null, preview: null, result: null, error: null, progress: null });
  },
  setOption(p) {
    const d = get().dialog;
    if (!d || get().jobId) return;
    set({ dialog: { ...d, ...p }, result: null });
    void get().loadPreview();
  },
  toggleArtifact(id) {
    const d = get().dialog;
    if (!d || get().jobId) return;
    const unchecked = d.unchecked.includes(id) ? d.unchecked.filter((x) => x !== id) : [...d.unchecked, id];
    set({ dialog: { ...d, unchecked }, result: null });
    void get().loadPreview();
  },
  async loadPreview() {
    const d = get().dialog;
    if (!d) return;
    const seq = ++previewSeq;
    set({ previewing: true, error: null });
    try {
      const preview = await invoke('bundle:preview', exportOptions(d, get().preview));
      if (seq === previewSeq) set({ preview, previewing: false });
    } catch (e) {
      if (seq === previewSeq) set({ previewing: false, error: errorMessage(e) });
    }
  },
  async startExport() {
    const d = get().dialog;
    const p = get().preview;
    if (!d || get().jobId) return;
    // The desktop asks where to save (its dialog asks before replacing a file); a browser
    // downloads the bundle from the workbench's exports folder instead.
    let saveToken: string | undefined;
    if (useAppStore.getState().info?.transport === 'electron') {
      try {
        const chosen = await invoke('bundle:saveDialog', { incidentId: d.incidentId, preset: d.preset });
        if (!chosen) return;
        saveToken = chosen.token;
      } catch (e) {
        set({ error: errorMessage(e) });
        return;
      }
    }
    const jobId = `x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    set({
      jobId,
      progress: { phase: 'discover', bytesDone: 0, bytesTotal: p?.totalBytes ?? 0, message: 'Starting…' },
      error: null,
      result: null,
    });
    const off = getApi().on('bundle:progress', (e) => {
      if (e.jobId === jobId)
        set({
          progress: { phase: e.phase, bytesDone: e.bytesDone, bytesTotal: e.bytesTotal, message: e.message },
        });
    });
    try {
      const result = await invoke('bundle:export', { jobId, saveToken, ...exportOptions(d, p) });
      set({
        result,
        progress: { phase: 'done', bytesDone: 1, bytesTotal: 1, message: `Wrote ${result.fileName}` },
      });
    } catch (e) {
      const msg = errorMessage(e);
      const cancelled = errorCode(e) === 'cancelled';
      set({
        error: cancelled ? null : msg,
        progress: cancelled ? { phase: 'cancelled', bytesDone: 0, bytesTotal: 0, message: msg } : null,
      });
    } finally {
      off();
      set({ jobId: null });
    }
  },
  async cancelExport() {
    const jobId = get().jobId;
    if (jobId) await invoke('bundle:cancel', { jobId }).catch(() => undefined);
  },
  async download() {
    const r = get().result;
    if (!r?.exportId) return;
    set({ downloading: true });
    try {
      await downloadExport(r.exportId, r.fileName);
    } catch (e) {
      useAppStore.getState().notify(errorMessage(e), 'error');
    } finally {
      set({ downloading: false });
    }
  },
  async importFiles(files) {
    const app = useAppStore.getState();
    for (const f of files) {
      set({ importing: { name: f.name, sent: 0, total: f.size } });
      try {
        const r = await importBundleFile(f, (sent, total) =>
          set({ importing: { name: f.name, sent, total } }),
        );
        void useListStore.getState().refresh();
        app.notify(
          `${r.alreadyImported ? 'Already imported' : 'Imported'} ${f.name}: ${r.files} files in the bundle${r.manifest.redacted ? `, ${r.manifest.redaction?.totalHits ?? 0} values redacted` : ' (private, unredacted)'}`,
        );
        if (r.incidentId) {
          app.setView('incidents');
          await useDetailStore.getState().open(r.incidentId);
          useDetailStore.getState().setTab('bundle');
        }
      } catch (e) {
        app.notify(`${f.name}: ${errorMessage(e)}`, 'error');
      } finally {
        set({ importing: null });
      }
    }
  },
  async copyIssue(incidentId) {
    const app = useAppStore.getState();
    try {
      const issue = await invoke('bundle:issue', { incidentId, redact: true });
      const copied = await copyText(issue.markdown);
      // The text is shown too: the reporter should see what goes public before pasting it.
      set({ issue: { ...issue }, issueOpen: true, issueCopied: copied });
      if (copied) app.notify(`Issue text copied (${issue.length.toLocaleString()} characters, redacted)`);
    } catch (e) {
      app.notify(errorMessage(e), 'error');
    }
  },
  closeIssue: () => set({ issueOpen: false }),
}));

/** Bundle files among dropped files (the rest are folders to scan). */
export function bundleFilesOf(files: FileList | File[]): File[] {
  return Array.from(files).filter((f) => /\.zip$/i.test(f.name));
}
