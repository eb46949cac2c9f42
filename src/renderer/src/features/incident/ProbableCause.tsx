import type { Confidence, IncidentKind, ProbableCause } from '../../../../shared/domain/incident';

const CONFIDENCE_LABEL: Record<Confidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
  unknown: 'Cause unknown',
};

/** A short mark of how sure the answer is, for the list's verdict column and the card. */
export function ConfidenceMark({ confidence }: { confidence: Confidence }) {
  return (
    <span
      className={`confidence-mark conf-${confidence}`}
      role="img"
      aria-label={CONFIDENCE_LABEL[confidence]}
      title={CONFIDENCE_LABEL[confidence]}
    >
      {confidence === 'unknown' ? '?' : confidence[0]!.toUpperCase()}
    </span>
  );
}

/**
 * The first thing on Overview: the probable cause as one sentence (what, why, how sure, what
 * next), the evidence behind it, and what the input lacked. The technical verdict (exception
 * and address) follows it.
 */
export function ProbableCauseCard({
  cause,
  kind,
  missing,
}: {
  cause: ProbableCause;
  kind: IncidentKind;
  missing: readonly string[];
}) {
  const fors = cause.evidence.filter((e) => !e.startsWith('against: '));
  const against = cause.evidence.filter((e) => e.startsWith('against: ')).map((e) => e.slice(9));
  return (
    <section className={`cause-card kind-${kind} conf-${cause.confidence}`} data-testid="probable-cause">
      <h2 className="cause-headline" data-testid="headline">
        {cause.headline}
      </h2>
      <div className="cause-meta">
        <span className={`confidence-pill conf-${cause.confidence}`}>
          {CONFIDENCE_LABEL[cause.confidence]}
        </span>
        {cause.mod && (
          <span className="muted small">
            mod: {cause.mod.name} ({cause.mod.source === 'path' ? 'from its folder' : cause.mod.source})
          </span>
        )}
      </div>
      {(fors.length > 0 || against.length > 0) && (
        <details className="cause-evidence">
          <summary>Why we think so ({fors.length + against.length})</summary>
          <ul>
            {fors.map((e) => (
              <li key={`f-${e}`}>{e}</li>
            ))}
            {against.map((e) => (
              <li key={`a-${e}`} className="against">
                <span className="muted">against:</span> {e}
              </li>
            ))}
          </ul>
        </details>
      )}
      {missing.length > 0 && (
        <p className="cause-missing small" data-testid="incomplete">
          Incomplete input, analysed anyway. Missing: {missing.join('; ')}.
        </p>
      )}
    </section>
  );
}
