import { useEffect } from 'react';
import { useCrashLogStore } from '../crashlog-store';
import { Empty } from './common';

/** The known-issue rule files in force, and the switch for the user's own. */
export function Rules() {
  const rules = useCrashLogStore((s) => s.rules);
  const error = useCrashLogStore((s) => s.rulesError);
  const loadRules = useCrashLogStore((s) => s.loadRules);
  const setUserRules = useCrashLogStore((s) => s.setUserRules);
  useEffect(() => {
    void loadRules();
  }, [loadRules]);
  if (error) return <div className="banner error">{error}</div>;
  if (!rules) return <Empty>Loading rules…</Empty>;
  return (
    <div className="cl-rules" data-testid="crashlog-rules">
      <label className="cl-toggle">
        <input
          type="checkbox"
          checked={rules.userRulesEnabled}
          onChange={(e) => void setUserRules(e.target.checked)}
        />
        Also use my own rule files from <span className="mono">{rules.userFolder}</span>
      </label>
      <p className="muted small">
        Drop <span className="mono">*.json</span> rule files there (format: resources/rules/README.md). A rule
        with the id of a bundled one replaces it. The Crash log tab always uses the current rules; stored
        incidents pick them up when the index is rebuilt.
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>Rule file</th>
            <th>From</th>
            <th className="num">Rules</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {rules.sets.map((s) => (
            <tr key={`${s.origin}-${s.path ?? s.name}`}>
              <td>
                {s.name}
                {s.path && <div className="mono small muted">{s.path}</div>}
              </td>
              <td>{s.origin}</td>
              <td className="num">{s.rules}</td>
              <td className={s.error ? 'schema-problems' : ''}>{s.error ?? 'loaded'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
