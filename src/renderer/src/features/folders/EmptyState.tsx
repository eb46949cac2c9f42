import { useEffect } from 'react';
import { useFolderStore } from './folder-store';
import { addAndReport, openFolder } from './open-folder';

/** First run: nothing indexed yet. Offer the picker, drop target and the usual folders. */
export function EmptyState({ hasFolders }: { hasFolders: boolean }) {
  const suggestions = useFolderStore((s) => s.suggestions);
  const loadSuggestions = useFolderStore((s) => s.loadSuggestions);
  const busy = useFolderStore((s) => s.busy);
  useEffect(() => {
    void loadSuggestions();
  }, [loadSuggestions]);
  const existing = suggestions.filter((s) => s.exists);

  return (
    <div className="empty-state" data-testid="empty-state">
      <div className="empty-card">
        <h2>{hasFolders ? 'No incidents found yet' : 'Point the workbench at your crash folder'}</h2>
        <p className="muted">
          {hasFolders
            ? 'The remembered folders hold no crash dumps, SkyrimDiag captures or crash logs. New ones appear here as soon as they are written.'
            : 'SkyrimDiag / Tullius CTD Logger output, Crash Logger, Buffout 4, NetScriptFramework and Trainwreck logs, and loose .dmp files (WER LocalDumps).'}
        </p>
        <div className="empty-actions">
          <button
            type="button"
            className="primary"
            onClick={() => void openFolder()}
            data-testid="open-folder"
          >
            Open folder…
          </button>
          <span className="muted">or drop a folder anywhere on this window</span>
        </div>
        {existing.length > 0 && (
          <div className="suggestions" data-testid="suggestions">
            <h3>Found on this machine</h3>
            <ul>
              {existing.map((s) => (
                <li key={s.path}>
                  <div className="suggestion-text">
                    <span>{s.label}</span>
                    <span className="mono muted ellipsis" title={s.path}>
                      {s.path}
                    </span>
                  </div>
                  <button type="button" disabled={busy === 'add'} onClick={() => void addAndReport(s.path)}>
                    Add
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}
