import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { Empty, Filter, useFiltered } from './common';

/** The game's load order as the logger wrote it. */
export function Plugins({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const [rows, q, setQ] = useFiltered(p.gamePlugins, (g) => `${g.index ?? ''} ${g.name}`);
  if (!p.gamePlugins.length)
    return (
      <Empty>{p.pluginsListed ? 'The log has an empty load order.' : 'The log has no load order.'}</Empty>
    );
  const light = p.gamePlugins.filter((g) => g.light).length;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label="plugins" />
        <span className="muted small">
          {p.gamePlugins.length} plugins: {p.gamePlugins.length - light} full, {light} light
          {p.pluginCounts ? ` (the logger counts ${p.pluginCounts.total})` : ''}
        </span>
      </div>
      <table className="data-table cl-table" data-testid="crashlog-plugins">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Index</th>
            <th>Plugin</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.order}>
              <td className="num">{g.order}</td>
              <td className="mono">
                {g.index ?? ''}
                {g.light && <span className="cl-light">light</span>}
              </td>
              <td className="mono">{g.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
