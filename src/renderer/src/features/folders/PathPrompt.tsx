import { useEffect, useRef, useState } from 'react';
import { useFolderStore } from './folder-store';
import { addAndReport } from './open-folder';

/** Modal asking for a folder path (serve mode has no native folder picker). */
export function PathPrompt() {
  const prompt = useFolderStore((s) => s.pathPrompt);
  const hide = useFolderStore((s) => s.hidePathPrompt);
  const busy = useFolderStore((s) => s.busy);
  const error = useFolderStore((s) => s.error);
  const suggestions = useFolderStore((s) => s.suggestions);
  const [path, setPath] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (prompt.open) inputRef.current?.focus();
  }, [prompt.open]);

  if (!prompt.open) return null;
  const submit = async () => {
    if (await addAndReport(path, true)) {
      setPath('');
      hide();
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && hide()}>
      <div
        className="modal"
        role="dialog"
        aria-modal
        aria-labelledby="path-prompt-title"
        data-testid="path-prompt"
      >
        <h2 id="path-prompt-title">Open a crash folder</h2>
        <p className="muted">
          {prompt.hint ??
            'Type or paste the full path of a folder with crash dumps, SkyrimDiag output or crash logs. Subfolders are scanned too.'}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <input
            ref={inputRef}
            className="wide mono"
            placeholder="C:\Users\you\Documents\My Games\Skyrim Special Edition\SKSE"
            aria-label="Folder path"
            data-testid="folder-path-input"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && hide()}
            list="folder-suggestions"
          />
          <datalist id="folder-suggestions">
            {suggestions.map((s) => (
              <option key={s.path} value={s.path}>
                {s.label}
              </option>
            ))}
          </datalist>
          {error && (
            <div className="banner error" role="alert" data-testid="folder-error">
              {error}
            </div>
          )}
          <div className="modal-actions">
            <button type="button" onClick={hide}>
              Cancel
            </button>
            <button
              type="submit"
              className="primary"
              disabled={busy === 'add'}
              data-testid="folder-path-submit"
            >
              {busy === 'add' ? 'Scanning…' : 'Open'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
