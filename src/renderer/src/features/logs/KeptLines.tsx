import { formatTime } from '../../lib/format';
import { useLogsStore } from './logs-store';

/** The first and last error/warning lines of the log, verbatim; a line number opens it in the raw view. */
export function KeptLines({ onOpenLine }: { onOpenLine(line: number): void }) {
  const kept = useLogsStore((s) => s.keptLines) ?? [];
  const omitted = useLogsStore((s) => s.summary?.keptOmitted ?? 0);
  if (kept.length === 0) return <div className="pad muted">No error or warning lines in this log.</div>;
  // Lines were left out only once both the first-N list and the last-N ring were full: the
  // gap sits halfway.
  const gapAt = omitted > 0 ? kept.length / 2 : -1;
  return (
    <div className="logs-kept" data-testid="log-kept">
      {kept.map((k, i) => (
        <div key={k.line} className={`kept-line sev-${k.severity}`}>
          {i === gapAt && (
            <div className="kept-gap muted small">
              … {omitted.toLocaleString()} more error/warning lines …
            </div>
          )}
          <button type="button" className="link mono small" onClick={() => onOpenLine(k.line)}>
            L{k.line.toLocaleString()}
          </button>
          <span className={`sev-badge sev-${k.severity}`}>{k.severity}</span>
          <span className="mono small muted nowrap">{k.ts ? formatTime(k.ts).slice(5) : ''}</span>
          <span className="mono small kept-text">{k.text}</span>
        </div>
      ))}
    </div>
  );
}
