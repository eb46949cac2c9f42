import { useEffect } from 'react';
import { takeFocus } from '../incident/focus-store';
import { LOGGER_LABEL, type CrashLogAnalysis } from '../../../../shared/domain/crashlog';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { useCrashLogStore } from './crashlog-store';
import { crashLogSections } from './views';
import './crashlog.css';

export function hasCrashLog(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'crashlog');
}

/** Crash log tab: everything the parser read from the log, the findings, and the log itself. */
export function CrashLogTab({ incident }: { incident: IncidentDetail }) {
  const s = useCrashLogStore();
  const { load } = s;
  useEffect(() => {
    void load(incident.id).then(() => {
      // Opened from the Timeline: the raw log at that line.
      const line = takeFocus('crashlog')?.line;
      if (line) useCrashLogStore.getState().showRawLine(line);
    });
  }, [incident.id, load]);
  if (s.incidentId !== incident.id || s.loading)
    return <div className="pad muted">Reading the crash log…</div>;
  const a = s.analysis;
  if (!a) return <div className="pad banner error">{s.error ?? 'No crash log.'}</div>;
  const View = crashLogSections.find((v) => v.id === s.view)?.Component;
  return (
    <div className="cl-tab" data-testid="crashlog-tab">
      <div className="cl-head">
        <div className="cl-verdict" data-testid="crashlog-verdict">
          {a.verdict.title}
        </div>
        <LogFacts a={a} />
        <div className="segmented cl-views" role="tablist" aria-label="Crash log sections">
          {crashLogSections.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={s.view === v.id}
              className={s.view === v.id ? 'active' : ''}
              onClick={() => s.setView(v.id)}
            >
              {v.label(a)}
            </button>
          ))}
        </div>
      </div>
      <div className={`cl-body cl-body-${s.view}`}>{View && <View a={a} />}</div>
    </div>
  );
}

/** Logger, game, file name and size of the log. */
function LogFacts({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  return (
    <div className="cl-meta muted">
      <span>
        {LOGGER_LABEL[p.logger]} {p.loggerVersion ?? ''}
      </span>
      {p.game && (
        <span>
          {p.game} {p.gameVersion ?? ''}
        </span>
      )}
      <span>{a.file}</span>
      <span>
        {p.lineCount} lines · {p.encoding}
      </span>
    </div>
  );
}
