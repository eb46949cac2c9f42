import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PreviewFile } from '../../../../shared/contract/bundle';
import { formatBytes } from '../../lib/format';
import { useBundleStore } from './bundle-store';
import { TREATMENT_LABEL } from './treatment';

/** The export dialog: what goes in, how it is treated, what gets replaced, then progress. */
export function ExportDialog() {
  const dialog = useBundleStore((s) => s.dialog);
  const preview = useBundleStore((s) => s.preview);
  const previewing = useBundleStore((s) => s.previewing);
  const jobId = useBundleStore((s) => s.jobId);
  const progress = useBundleStore((s) => s.progress);
  const result = useBundleStore((s) => s.result);
  const error = useBundleStore((s) => s.error);
  const downloading = useBundleStore((s) => s.downloading);
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
  const running = jobId !== null;
  const pub = dialog.preset === 'public';
  const report = preview?.report ?? null;
  const pct =
    progress && progress.bytesTotal > 0 ? Math.round((100 * progress.bytesDone) / progress.bytesTotal) : 0;
  const included = preview?.files.filter((f) => f.included) ?? [];
  const withSamples = preview?.files.filter((f) => f.samples.length > 0) ?? [];

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
        <div className="segmented" role="radiogroup" aria-label="Bundle preset" data-testid="export-preset">
          {(
            [
              ['public', 'Public (redacted)'],
              ['private', 'Private (full)'],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="radio"
              aria-checked={dialog.preset === id}
              className={dialog.preset === id ? 'active' : ''}
              disabled={running}
              data-testid={`preset-${id}`}
              onClick={() => store().setOption({ preset: id })}
            >
              {label}
            </button>
          ))}
        </div>
        <p className="small muted preset-note">
          {pub
            ? 'Safe to post: user and machine names, profile paths, account ids, e-mail, IPs and secrets are replaced by stand-ins such as <user>; dumps are sanitized.'
            : 'Unredacted copies of every file. Share only with people you trust (a developer who asked for it).'}
        </p>

        <div className="export-body">
          <table className="data-table export-files" data-testid="export-files">
            <thead>
              <tr>
                <th />
                <th>File</th>
                <th>Role</th>
                <th className="num">Size</th>
                <th>In the bundle</th>
                {pub && <th className="num">Replaced</th>}
              </tr>
            </thead>
            <tbody>
              {(preview?.files ?? []).map((f) => (
                <FileRow
                  key={f.artifactId}
                  f={f}
                  pub={pub}
                  disabled={running}
                  unchecked={dialog.unchecked.includes(f.artifactId)}
                />
              ))}
            </tbody>
          </table>
          {!preview && previewing && <div className="muted pad">Looking through the files…</div>}

          <div className="export-options">
            <label>
              <input
                type="checkbox"
                checked={dialog.includeEtl}
                disabled={running || !preview?.files.some((f) => f.role === 'etl')}
                data-testid="export-include-etl"
                onChange={(e) => store().setOption({ includeEtl: e.target.checked })}
              />{' '}
              Include ETL traces <span className="muted small">(cannot be redacted yet)</span>
            </label>
            <label>
              <input
                type="checkbox"
                checked={dialog.stacksOnly}
                disabled={running || !preview?.files.some((f) => f.role === 'dump' && f.included)}
                data-testid="export-stacks-only"
                onChange={(e) => store().setOption({ stacksOnly: e.target.checked })}
              />{' '}
              Dumps: thread stacks only <span className="muted small">(smaller, less private memory)</span>
            </label>
          </div>

          {pub && <AlwaysRedact disabled={running} />}

          {pub && report && (
            <section className="redaction-preview" data-testid="redaction-preview">
              <h3>
                Redaction preview:{' '}
                <span data-testid="preview-total">
                  {report.totalHits.toLocaleString()} value{report.totalHits === 1 ? '' : 's'}
                </span>{' '}
                to replace in {included.length} file{included.length === 1 ? '' : 's'}
                {previewing && <span className="muted small"> (updating…)</span>}
              </h3>
              {report.rules.length > 0 ? (
                <ul className="rule-chips">
                  {report.rules.map((r) => (
                    <li key={r.id} title={r.description}>
                      <span className="mono">{r.id}</span> <b>{r.hits}</b>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted small">No names, paths or secrets found; the files go in unchanged.</p>
              )}
              {report.pseudonyms.length > 0 && (
                <p className="small stand-ins">
                  Stand-ins:{' '}
                  {report.pseudonyms.slice(0, 12).map((p) => (
                    <span key={p.token} className="mono stand-in" title={`learned from ${p.learnedFrom}`}>
                      {p.token}
                    </span>
                  ))}
                  {report.pseudonyms.length > 12 && (
                    <span className="muted"> +{report.pseudonyms.length - 12} more</span>
                  )}
                </p>
              )}
              {withSamples.length > 0 && (
                <details className="samples">
                  <summary>How it will read ({withSamples.length} files)</summary>
                  {withSamples.map((f) => (
                    <div key={f.artifactId} className="sample">
                      <div className="small muted mono">{f.entryName}</div>
                      <pre className="mono">{f.samples.join('\n')}</pre>
                    </div>
                  ))}
                </details>
              )}
            </section>
          )}

          {(preview?.warnings ?? []).map((w) => (
            <div key={w} className="banner info small">
              {w}
            </div>
          ))}
        </div>

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
            disabled={running || !preview || included.length === 0}
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
      </div>
    </div>,
    document.body,
  );
}

/** Words the rules cannot know (a nickname, a server, a guild): replaced in every public export. */
function AlwaysRedact({ disabled }: { disabled: boolean }) {
  const words = useBundleStore((s) => s.words);
  const save = useBundleStore((s) => s.saveWords);
  const [text, setText] = useState<string | null>(null);
  const value = text ?? (words ?? []).join(', ');
  const parsed = value
    .split(/[,\n]/)
    .map((w) => w.trim())
    .filter(Boolean);
  const dirty = text !== null && parsed.join('\u0000') !== (words ?? []).join('\u0000');
  return (
    <form
      className="always-redact"
      onSubmit={(e) => {
        e.preventDefault();
        void save(parsed).then(() => setText(null));
      }}
    >
      <label htmlFor="always-redact">Always replace</label>
      <input
        id="always-redact"
        className="mono"
        placeholder="nicknames, a server name… (comma-separated)"
        value={value}
        disabled={disabled || words === null}
        data-testid="always-redact"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={disabled || !dirty} data-testid="always-redact-save">
        Save
      </button>
    </form>
  );
}

function FileRow({
  f,
  pub,
  disabled,
  unchecked,
}: {
  f: PreviewFile;
  pub: boolean;
  disabled: boolean;
  unchecked: boolean;
}) {
  const toggle = useBundleStore((s) => s.toggleArtifact);
  const forced = !f.included && !unchecked;
  return (
    <tr className={f.included ? '' : 'dim'} data-testid="export-file">
      <td>
        <input
          type="checkbox"
          aria-label={`Include ${f.name}`}
          checked={f.included}
          disabled={disabled || forced}
          onChange={() => toggle(f.artifactId)}
        />
      </td>
      <td>
        <div className="mono ellipsis" title={f.name}>
          {f.name}
        </div>
        {f.included && f.entryName && f.entryName !== f.name && (
          <div className="small muted mono ellipsis">as {f.entryName}</div>
        )}
        {f.note && <div className={`small ${f.included ? 'warn-note' : 'muted'}`}>{f.note}</div>}
      </td>
      <td>{f.role}</td>
      <td className="num mono nowrap">{formatBytes(f.size)}</td>
      <td>
        {f.included ? (
          <span className={`pill treatment-${f.treatment}`}>{TREATMENT_LABEL[f.treatment ?? ''] ?? '—'}</span>
        ) : (
          'left out'
        )}
      </td>
      {pub && <td className="num">{f.included ? f.hits : ''}</td>}
    </tr>
  );
}
