import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { Filter, useFiltered } from './common';

export function Modules({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const [rows, q, setQ] = useFiltered(p.modules, (m) => m.name);
  return (
    <div className="cl-list">
      <div className="overview-grid">
        <section>
          <div className="cl-list-bar">
            <h2>Modules ({p.modules.length})</h2>
            <Filter value={q} onChange={setQ} label="modules" />
          </div>
          <table className="data-table cl-table" data-testid="crashlog-modules">
            <thead>
              <tr>
                <th>Module</th>
                <th>Base</th>
                <th>Version</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m, i) => (
                <tr key={`${m.name}-${i}`}>
                  <td className="mono">{m.name}</td>
                  <td className="mono">{m.base ?? ''}</td>
                  <td className="mono">{m.version ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <XsePlugins a={a} />
      </div>
    </div>
  );
}

function XsePlugins({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  return (
    <section>
      <h2>
        {p.gameFamily === 'fallout4' ? 'F4SE' : p.logger === 'netscriptframework' ? 'NSF' : 'SKSE'} plugins (
        {p.xsePlugins.length})
      </h2>
      {p.xsePlugins.length ? (
        <table className="data-table cl-table">
          <thead>
            <tr>
              <th>Plugin</th>
              <th>Version</th>
            </tr>
          </thead>
          <tbody>
            {p.xsePlugins.map((x, i) => (
              <tr key={`${x.name}-${i}`}>
                <td className="mono">{x.name}</td>
                <td className="mono">{x.version ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">This logger lists no script-extender plugins separately.</p>
      )}
    </section>
  );
}
