import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { useBundleStore } from './bundle-store';
import { AlwaysRedact } from './export/AlwaysRedact';
import { ExportOptions } from './export/ExportOptions';
import { ExportActions, ExportStatus } from './export/ExportStatus';
import { FileTable } from './export/FileTable';
import { PresetPicker } from './export/PresetPicker';
import { RedactionPreview } from './export/RedactionPreview';

/** The export dialog: what goes in, how it is treated, what gets replaced, then progress. */
export function ExportDialog() {
  const dialog = useBundleStore((s) => s.dialog);
  const preview = useBundleStore((s) => s.preview);
  const previewing = useBundleStore((s) => s.previewing);
  const running = useBundleStore((s) => s.jobId !== null);
  const store = useBundleStore.getState;

  useEffect(() => {
    if (!dialog) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') store().closeExport();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, store]);

  if (!dialog) return null;
  const pub = dialog.preset === 'public';
  const included = preview?.files.filter((f) => f.included) ?? [];

  return createPortal(
    <div
      className="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && store().closeExport()}
    >
      <div
        className="modal export-dialog"
        role="dialog"
        aria-modal
        aria-labelledby="export-title"
        data-testid="export-dialog"
      >
        <h2 id="export-title">Share this incident</h2>
        <p className="muted">
          One .zip with the files below, a <span className="mono">report.md</span> and a{' '}
          <span className="mono">bundle.json</span> that lists every file with its SHA-256.
        </p>
        <PresetPicker preset={dialog.preset} disabled={running} />

        <div className="export-body">
          <FileTable preview={preview} pub={pub} disabled={running} unchecked={dialog.unchecked} />
          {!preview && previewing && <div className="muted pad">Looking through the files…</div>}
          <ExportOptions
            preview={preview}
            includeEtl={dialog.includeEtl}
            stacksOnly={dialog.stacksOnly}
            disabled={running}
          />
          {pub && <AlwaysRedact disabled={running} />}
          {pub && preview && (
            <RedactionPreview preview={preview} includedCount={included.length} updating={previewing} />
          )}
          {(preview?.warnings ?? []).map((w) => (
            <div key={w} className="banner info small">
              {w}
            </div>
          ))}
        </div>

        <ExportStatus />
        <ExportActions pub={pub} canStart={!!preview && included.length > 0} />
      </div>
    </div>,
    document.body,
  );
}
