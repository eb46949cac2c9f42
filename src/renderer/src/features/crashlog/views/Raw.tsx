import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { LazyCodeView } from '../../../lib/monaco/LazyCodeView';
import { useCrashLogStore } from '../crashlog-store';

/** The log itself in Monaco, with the parser's section outline beside it. */
export function Raw({ a }: { a: CrashLogAnalysis }) {
  const text = useCrashLogStore((s) => s.text);
  const truncated = useCrashLogStore((s) => s.truncated);
  const line = useCrashLogStore((s) => s.rawLine);
  const artifactId = useCrashLogStore((s) => s.artifactId);
  const showRawLine = useCrashLogStore((s) => s.showRawLine);
  return (
    <div className="cl-raw">
      <nav className="cl-outline" aria-label="Sections">
        {a.parsed.outline.map((o) => (
          <button
            type="button"
            key={`${o.name}-${o.line}`}
            className={line === o.line ? 'active' : ''}
            onClick={() => showRawLine(o.line)}
          >
            <span>{o.name}</span>
            <span className="muted small">{o.line}</span>
          </button>
        ))}
      </nav>
      <div className="cl-raw-body" data-testid="crashlog-raw">
        {truncated && <div className="banner info">Only the first 8 MiB of this log are shown.</div>}
        {text !== null && (
          <LazyCodeView
            value={text}
            language="plaintext"
            path={`inmemory://ctd/crashlog/${artifactId ?? 0}.log`}
            revealLine={line ?? undefined}
          />
        )}
      </div>
    </div>
  );
}
