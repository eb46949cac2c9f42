import { useEffect } from 'react';
import { useAppStore } from '../../app/app-store';
import { NotifySetting } from '../preferences/NotifySetting';
import { usePreferencesStore } from '../preferences/preferences-store';
import { StorageSection } from '../preferences/StorageSection';
import { SymbolsSection } from '../preferences/SymbolsSection';
import { useFolderStore } from './folder-store';
import { addAndReport, openFolder } from './open-folder';
import './folders.css';
import { SetupInstances } from '../setup/SetupInstances';

/** Folder manager: what is watched, the usual places, rescan and index rebuild. */
export function FoldersView() {
  const folders = useFolderStore((s) => s.folders);
  const suggestions = useFolderStore((s) => s.suggestions);
  const busy = useFolderStore((s) => s.busy);
  const error = useFolderStore((s) => s.error);
  const lastScan = useFolderStore((s) => s.lastScan);
  const progress = useFolderStore((s) => s.progress);
  const { load, loadSuggestions, remove, rescan, rebuild, clearError } = useFolderStore.getState();
  const info = useAppStore((s) => s.info);

  useEffect(() => {
    void load();
    void loadSuggestions();
    void usePreferencesStore.getState().load();
  }, [load, loadSuggestions]);
  const prefsError = usePreferencesStore((s) => s.error);

  const notAdded = suggestions.filter((s) => !folders.includes(s.path));

  return (
    <div className="view-page folders-view" data-testid="folders-view">
      <header className="page-head">
        <h1>Folders</h1>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void openFolder()}>
          Add folder…
        </button>
        <button type="button" disabled={!!busy || folders.length === 0} onClick={() => void rescan()}>
          {busy === 'scan' ? 'Scanning…' : 'Rescan'}
        </button>
        <button
          type="button"
          disabled={!!busy}
          title="Delete the index and read every file again (triage status and notes are kept)"
          onClick={() => {
            if (window.confirm('Rebuild the index from the files? Status and notes are kept.'))
              void rebuild();
          }}
        >
          {busy === 'rebuild' ? 'Rebuilding…' : 'Rebuild index'}
        </button>
      </header>

      {error && (
        <div className="banner error" role="alert">
          {error}
          <button type="button" className="link" onClick={clearError}>
            Dismiss
          </button>
        </div>
      )}
      {progress && (
        <div className="banner info">
          Scanning {progress.folder} — {progress.filesSeen.toLocaleString()} files
        </div>
      )}
      {lastScan && (
        <div className="banner info" data-testid="last-scan">
          Last scan: {lastScan.incidents.toLocaleString()} incidents ({lastScan.added} added,{' '}
          {lastScan.updated} updated, {lastScan.removed} removed), {lastScan.filesRead.toLocaleString()} files
          read in {Math.round(lastScan.durationMs)} ms
          {lastScan.errors.length > 0 && (
            <ul className="scan-errors">
              {lastScan.errors.slice(0, 20).map((e) => (
                <li key={e.path}>
                  <span className="mono">{e.path}</span>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {prefsError && (
        <div className="banner error" role="alert" data-testid="prefs-error">
          {prefsError}
        </div>
      )}

      <section>
        <h2>Watched folders</h2>
        <NotifySetting />
        {folders.length === 0 ? (
          <p className="muted">No folders yet. Add one, or pick one of the usual places below.</p>
        ) : (
          <ul className="folder-list" data-testid="folder-list">
            {folders.map((f) => (
              <li key={f}>
                <span className="mono ellipsis" title={f}>
                  {f}
                </span>
                <button
                  type="button"
                  onClick={() => void remove(f)}
                  title="Forget this folder; its files are not touched"
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h2>Usual places on this machine</h2>
        {notAdded.length === 0 ? (
          <p className="muted">Nothing else found (Documents\My Games, MO2 overwrite, SkyrimDiag output).</p>
        ) : (
          <ul className="folder-list">
            {notAdded.map((s) => (
              <li key={s.path} className={s.exists ? '' : 'dim'}>
                <span className="folder-label">{s.label}</span>
                <span className="mono ellipsis muted" title={s.path}>
                  {s.path}
                </span>
                <button
                  type="button"
                  disabled={!s.exists || busy === 'add'}
                  onClick={() => void addAndReport(s.path)}
                >
                  {s.exists ? 'Add' : 'Not found'}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <SetupInstances />
      <StorageSection />
      <SymbolsSection />

      {info && (
        <section>
          <h2>About</h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Mode</dt>
            <dd>{info.transport === 'serve' ? 'Browser (serve mode, 127.0.0.1 only)' : 'Desktop'}</dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.dataDir}</dd>
            <dt>Index</dt>
            <dd className="mono">{info.dbPath}</dd>
          </dl>
        </section>
      )}
    </div>
  );
}
