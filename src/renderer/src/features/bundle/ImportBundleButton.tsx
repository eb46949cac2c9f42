import { useRef } from 'react';
import { useBundleStore } from './bundle-store';
import './bundle.css';

/** "Import bundle…": a .zip someone shared. Dropping one onto the window does the same. */
export function ImportBundleButton() {
  const input = useRef<HTMLInputElement>(null);
  const importing = useBundleStore((s) => s.importing);
  const importFiles = useBundleStore((s) => s.importFiles);
  const pct = importing && importing.total > 0 ? Math.round((100 * importing.sent) / importing.total) : 0;
  return (
    <>
      <button
        type="button"
        disabled={!!importing}
        onClick={() => input.current?.click()}
        data-testid="import-bundle"
        title="Open a .zip bundle exported by CTD Workbench"
      >
        {importing ? `Importing… ${pct}%` : 'Import bundle…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        data-testid="import-bundle-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) void importFiles(files);
        }}
      />
    </>
  );
}
