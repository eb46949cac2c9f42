import { useEffect, useState } from 'react';
import type { Artifact, IncidentDetail } from '../../../../shared/domain/incident';
import type { LogSeverity } from '../../../../shared/domain/logs';
import type { LogPatternSort } from '../../../../shared/contract/logs';
import { formatBytes, formatTime } from '../../lib/format';
import { useLogsStore } from './logs-store';
import { PatternTable } from './PatternTable';
import { RawPane } from './RawPane';
import { peekFocus, takeFocus } from '../incident/focus-store';
import './logs.css';

const LOG_ROLES = new Set(['papyrus', 'log']);
const SEVERITIES: LogSeverity[] = ['error', 'warning', 'info'];
const SORTS: { id: LogPatternSort; label: string }[] = [
  { id: 'severity', label: 'Worst first' },
  { id: 'count', label: 'Most frequent' },
  { id: 'first', label: 'First seen' },
  { id: 'last', label: 'Last seen' },
];
const FILTER_DEBOUNCE_MS = 180;

export function hasLogs(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => LOG_ROLES.has(a.role));
}

/** Papyrus first, then the other logs by name. */
function logArtifacts(incident: IncidentDetail): Artifact[] {
  return incident.artifacts
    .filter((a) => LOG_ROLES.has(a.role))
    .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'papyrus' ? -1 : 1));
}

/** Logs tab: a log's deduplicated line patterns above, the raw text (windowed) below. */
export function LogsTab({ incident }: { incident: IncidentDetail }) {
  const logs = logArtifacts(incident);
  // Opened from the Timeline: that log, at that line.
  const [artifactId, setArtifactId] = useState(
    () => logs.find((a) => a.id === peekFocus('logs')?.artifactId)?.id ?? logs[0]?.id ?? null,
  );
  const open = useLogsStore((s) => s.open);
  const summary = useLogsStore((s) => s.summary);
  const source = useLogsStore((s) => s.source);
  const total = useLogsStore((s) => s.total);
  const error = useLogsStore((s) => s.error);
  const loading = useLogsStore((s) => s.loading);
  const filters = useLogsStore((s) => s.filters);
  const setFilters = useLogsStore((s) => s.setFilters);
  const [text, setText] = useState(filters.text);

  const current = logs.find((a) => a.id === artifactId);
  const version = current ? `${current.size}|${current.mtimeMs}` : '';
  useEffect(() => {
    if (artifactId === null) return;
    void open(artifactId, version).then(() => {
      const line = takeFocus('logs')?.line;
      if (line) void useLogsStore.getState().jumpTo(line);
    });
  }, [artifactId, version, open]);

  useEffect(() => {
    if (text === filters.text) return;
    const t = setTimeout(() => setFilters({ text }), FILTER_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, filters.text, setFilters]);

  if (!current || artifactId === null) return <div className="pad muted">This incident has no logs.</div>;
  const toggle = (s: LogSeverity) =>
    setFilters({
      severity: filters.severity.includes(s)
        ? filters.severity.filter((x) => x !== s)
        : [...filters.severity, s],
    });

  return (
    <div className="logs-tab" data-testid="logs-tab">
      <div className="viewer-head logs-head">
        {logs.length > 1 ? (
          <select
            aria-label="Log file"
            data-testid="log-select"
            value={artifactId}
            onChange={(e) => setArtifactId(Number(e.target.value))}
          >
            {logs.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="mono ellipsis" title={current.path}>
            {current.name}
          </span>
        )}
        {summary && (
          <span className="logs-summary muted small" data-testid="log-summary">
            {summary.lines.toLocaleString()} lines · {formatBytes(summary.bytes)} ·{' '}
            {summary.patternCount.toLocaleString()} patterns · {summary.flavor} · {summary.encoding}
            {summary.firstTs && summary.lastTs
              ? ` · ${formatTime(summary.firstTs)} → ${formatTime(summary.lastTs)}`
              : ''}
            {source === 'fresh' ? ' · read now (changed since indexed)' : ''}
          </span>
        )}
      </div>
      {summary && summary.problems.length > 0 && (
        <div className="banner info small" data-testid="log-problems">
          {summary.problems.join(' · ')}
        </div>
      )}
      {error && <div className="banner error">{error}</div>}
      <div className="logs-toolbar">
        <input
          type="search"
          placeholder="Filter patterns (text in the pattern or its example)"
          aria-label="Filter patterns"
          data-testid="log-filter"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="sev-toggles" role="group" aria-label="Severity">
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={filters.severity.includes(s)}
              className={`sev-toggle sev-${s}${filters.severity.includes(s) ? ' on' : ''}`}
              data-testid={`sev-${s}`}
              onClick={() => toggle(s)}
            >
              {s}
              {summary ? ` ${summary.severityLines[s].toLocaleString()}` : ''}
            </button>
          ))}
        </div>
        <select
          aria-label="Sort patterns"
          value={filters.sort}
          onChange={(e) => setFilters({ sort: e.target.value as LogPatternSort })}
        >
          {SORTS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
        <span className="muted small nowrap" data-testid="log-pattern-count">
          {loading ? 'Loading…' : `${total.toLocaleString()} pattern${total === 1 ? '' : 's'}`}
          {summary?.other ? ` (+${summary.other.lines.toLocaleString()} lines over the cap)` : ''}
        </span>
      </div>
      <div className="logs-split">
        <PatternTable />
        <RawPane artifactId={artifactId} />
      </div>
    </div>
  );
}
