import { useState } from 'react';
import { invoke } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { usePreferencesStore } from './preferences-store';
import './preferences.css';

/** Breakpad symbol folders for the Crash tab's stacks (what the CLI's --symbols does). */
export function SymbolsSection() {
  const dirs = usePreferencesStore((s) => s.state?.prefs.symbolDirs ?? null);
  const saving = usePreferencesStore((s) => s.saving);
  const save = usePreferencesStore((s) => s.save);
  const desktop = useAppStore((s) => s.info?.transport === 'electron');
  const [path, setPath] = useState('');
  if (!dirs) return null;
  const add = async (p: string) => {
    if (p.trim() && (await save({ symbolDirs: [...dirs, p.trim()] }))) setPath('');
  };
  return (
    <section className="prefs-section" data-testid="symbols-section">
      <h2>Symbols</h2>
      <p className="muted small">
        Folders of Breakpad symbol files (<span className="mono">module.pdb/&lt;debug id&gt;/module.sym</span>
        ) name the functions in the Crash tab&apos;s stacks, as <span className="mono">--symbols</span> does
        for the command line.
      </p>
      {dirs.length > 0 && (
        <ul className="folder-list" data-testid="symbol-dirs">
          {dirs.map((d) => (
            <li key={d}>
              <span className="mono ellipsis" title={d}>
                {d}
              </span>
              <button
                type="button"
                disabled={saving}
                onClick={() => void save({ symbolDirs: dirs.filter((x) => x !== d) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="prefs-row"
        onSubmit={(e) => {
          e.preventDefault();
          void add(path);
        }}
      >
        <input
          className="mono grow"
          placeholder="Symbol folder, e.g. D:\symbols"
          aria-label="Symbol folder path"
          value={path}
          data-testid="symbols-path"
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" disabled={!path.trim() || saving} data-testid="symbols-add">
          Add
        </button>
        {desktop && (
          <button
            type="button"
            disabled={saving}
            onClick={() =>
              void invoke('dialog:openFolder', { title: 'Symbol folder' }).then(async (p) => {
                if (p) await add(p);
              })
            }
          >
            Browse…
          </button>
        )}
      </form>
    </section>
  );
}
