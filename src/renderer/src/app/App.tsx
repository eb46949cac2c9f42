import { useEffect, useState } from 'react';
import { getApi } from '../api/client';
import { useDetailStore } from '../features/incident/detail-store';
import { useListStore } from '../features/incident/list-store';
import { useFolderStore } from '../features/folders/folder-store';
import { handleDrop } from '../features/folders/open-folder';
import { PathPrompt } from '../features/folders/PathPrompt';
import { listenForNewIncidents } from '../features/preferences/new-incident-notices';
import { useAppStore } from './app-store';
import { appViews } from './views';

/** Shell: sidebar of registered views, the active view, a status bar, and app-wide events. */
export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const toast = useAppStore((s) => s.toast);
  const info = useAppStore((s) => s.info);
  const progress = useFolderStore((s) => s.progress);
  const total = useListStore((s) => s.allTotal);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void useAppStore.getState().loadInfo();
    void useFolderStore.getState().load();
    void useListStore.getState().refresh();
    const api = getApi();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const offChanged = api.on('incidents:changed', (p) => {
      // Watcher bursts (a dump plus its manifest seconds apart) collapse into one refresh.
      clearTimeout(pending);
      pending = setTimeout(() => {
        void useListStore.getState().refresh();
        void useFolderStore.getState().load();
        const d = useDetailStore.getState();
        if (d.openId && (p.ids.length === 0 || p.ids.includes(d.openId))) void d.reload();
      }, 150);
    });
    const offProgress = api.on('scan:progress', (p) => useFolderStore.getState().onProgress(p));
    const offCaptured = api.on('capture:completed', (r) => {
      // The Capture view shows its own result; a hotkey or tray capture opens the new incident.
      if (useAppStore.getState().view === 'capture') return;
      if (r.incidentId) {
        setView('incidents');
        void useDetailStore.getState().open(r.incidentId);
      }
      useAppStore.getState().notify(r.message, r.ok ? 'info' : 'error');
    });
    const onOpenIncident = (e: Event) => {
      const id = (e as CustomEvent<{ id?: string }>).detail?.id;
      if (!id) return;
      setView('incidents');
      void useDetailStore.getState().open(id);
    };
    window.addEventListener('ctd:open-incident', onOpenIncident);
    const offNews = listenForNewIncidents((id) => {
      setView('incidents');
      void useDetailStore.getState().open(id);
    });
    return () => {
      offNews();
      clearTimeout(pending);
      offChanged();
      offProgress();
      offCaptured();
      window.removeEventListener('ctd:open-incident', onOpenIncident);
    };
  }, [setView]);

  const active = appViews.find((v) => v.id === view) ?? appViews[0];

  return (
    <div
      className={`shell${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.relatedTarget) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer.files.length > 0) void handleDrop(e.dataTransfer.files);
      }}
    >
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>
          CTD Workbench
        </div>
        <nav aria-label="Views">
          {appViews.map((v) => (
            <button
              key={v.id}
              type="button"
              className={v.id === active?.id ? 'active' : ''}
              aria-current={v.id === active?.id ? 'page' : undefined}
              data-testid={`nav-${v.id}`}
              onClick={() => {
                if (v.id === 'incidents' && view === 'incidents') useDetailStore.getState().close();
                setView(v.id);
              }}
            >
              {v.label}
              {v.id === 'incidents' && total > 0 && (
                <span className="nav-count" aria-label={`${total.toLocaleString()} incidents`}>
                  {total.toLocaleString()}
                </span>
              )}
            </button>
          ))}
        </nav>
        <div className="sidebar-foot muted small">
          {progress ? (
            <span data-testid="scan-progress">Scanning… {progress.filesSeen.toLocaleString()} files</span>
          ) : (
            <span>
              {info ? `v${info.version} · ${info.transport === 'serve' ? 'browser' : 'desktop'}` : ''}
            </span>
          )}
        </div>
      </aside>
      <main className="main">{active && <active.Component />}</main>
      {toast && (
        <div className={`toast ${toast.tone}`} role="status" data-testid="toast">
          {toast.text}
          {toast.action && (
            <button
              type="button"
              className="toast-action"
              data-testid="toast-action"
              onClick={() => {
                toast.action?.run();
                useAppStore.setState({ toast: null });
              }}
            >
              {toast.action.label}
            </button>
          )}
        </div>
      )}
      {dragging && (
        <div className="drop-overlay">Drop a folder to scan it, or a bundle .zip to import it</div>
      )}
      <PathPrompt />
    </div>
  );
}
