import type { BundlePreview } from '../../../../../shared/contract/bundle';

/** What the public preset will replace: totals per rule, the stand-ins, sample lines. */
export function RedactionPreview({
  preview,
  includedCount,
  updating,
}: {
  preview: BundlePreview;
  includedCount: number;
  updating: boolean;
}) {
  const report = preview.report;
  if (!report) return null;
  const withSamples = preview.files.filter((f) => f.samples.length > 0);
  return (
    <section className="redaction-preview" data-testid="redaction-preview">
      <h3>
        Redaction preview:{' '}
        <span data-testid="preview-total">
          {report.totalHits.toLocaleString()} value{report.totalHits === 1 ? '' : 's'}
        </span>{' '}
        to replace in {includedCount} file{includedCount === 1 ? '' : 's'}
        {updating && <span className="muted small"> (updating…)</span>}
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
  );
}
