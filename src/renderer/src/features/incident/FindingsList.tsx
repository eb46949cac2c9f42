import { useState } from 'react';
import type { Finding } from '../../../../shared/domain/finding';

export function SeverityBadge({ severity }: { severity: Finding['severity'] }) {
  return <span className={`severity-badge severity-${severity}`}>{severity}</span>;
}

/** Known issues with severity, what to do, and the evidence quoted from the log (collapsed past two lines). */
export function FindingsList({ findings, empty }: { findings: readonly Finding[]; empty?: string }) {
  if (findings.length === 0)
    return <p className="muted">{empty ?? 'No known issue matched this incident.'}</p>;
  return (
    <ol className="findings" data-testid="findings">
      {findings.map((f) => (
        <FindingItem key={f.id} finding={f} />
      ))}
    </ol>
  );
}

function FindingItem({ finding: f }: { finding: Finding }) {
  const [open, setOpen] = useState(false);
  const shown = open ? f.evidence : f.evidence.slice(0, 2);
  return (
    <li className={`finding finding-${f.severity}`} data-testid={`finding-${f.id}`}>
      <div className="finding-head">
        <SeverityBadge severity={f.severity} />
        <span className="finding-title">{f.title}</span>
        <span className="finding-id mono small muted">{f.id}</span>
      </div>
      <p className="finding-text">{f.explanation}</p>
      <p className="finding-fix">
        <strong>Fix:</strong> {f.fix}
        {f.link && (
          <>
            {' '}
            <a href={f.link} target="_blank" rel="noreferrer noopener">
              more
            </a>
          </>
        )}
      </p>
      {f.evidence.length > 0 && (
        <ul className="finding-evidence mono small">
          {shown.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
          {f.evidence.length > 2 && (
            <li>
              <button type="button" className="link-button" onClick={() => setOpen(!open)}>
                {open ? 'less' : `${f.evidence.length - 2} more`}
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}
