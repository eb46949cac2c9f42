import { formatBytes } from '../../../lib/format';
import { useBundleStore } from '../bundle-store';

/** Progress of a running export, its error, or the finished bundle. */
export function ExportStatus() {
  const progress = useBundleStore((s) => s.progress);
  const result = useBundleStore((s) => s.result);
  const error = useBundleStore((s) => s.error);
  const pct =
    progress && progress.bytesTotal > 0 ? Math.round((100 * progress.bytesDone) / progress.bytesTotal) : 0;
  return (
    <>
      {progress && (
        <div className="export-progress" data-testid="export-progress">
          <progress max={100} value={progress.phase === 'done' ? 100 : pct} />
          <span className="small muted ellipsis">{progress.message}</span>
        </div>
      )}
      {error && (
        <div className="banner error" role="alert" data-testid="export-error">
          {error}
        </div>
      )}
      {result && (
        <div className="banner info export-result" data-testid="export-result">
          <div>
            Bundle ready: <span className="mono">{result.fileName}</span> ({formatBytes(result.size)},{' '}
            {result.entries} files in the zip)
          </div>
          <div className="small muted mono ellipsis" title={result.path}>
            {result.path}
          </div>
        </div>
      )}
    </>
  );
}

/** Close or Cancel, Download, and the export button itself. */
export function ExportActions({ pub, canStart }: { pub: boolean; canStart: boolean }) {
  const running = useBundleStore((s) => s.jobId !== null);
  const result = useBundleStore((s) => s.result);
  const downloading = useBundleStore((s) => s.downloading);
  const store = useBundleStore.getState;
  return (
    <div className="modal-actions">
      {running ? (
        <button type="button" onClick={() => void store().cancelExport()} data-testid="export-cancel">
          Cancel
        </button>
      ) : (
        <button type="button" onClick={() => store().closeExport()} data-testid="export-close">
          Close
        </button>
      )}
      {result?.exportId && (
        <button
          type="button"
          disabled={downloading}
          onClick={() => void store().download()}
          data-testid="export-download"
        >
          {downloading ? 'Downloading…' : 'Download'}
        </button>
      )}
      <button
        type="button"
        className="primary"
        disabled={running || !canStart}
        onClick={() => void store().startExport()}
        data-testid="export-start"
      >
        {running
          ? 'Exporting…'
          : result
            ? 'Export again'
            : pub
              ? 'Export redacted bundle'
              : 'Export full bundle'}
      </button>
    </div>
  );
}
