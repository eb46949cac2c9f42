import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { Empty, Filter, useFiltered } from './common';

/** Game objects the logger found near the crash (registers and stack). */
export function Objects({ a }: { a: CrashLogAnalysis }) {
  const objs = a.parsed.relevantObjects;
  const [rows, q, setQ] = useFiltered(objs, (o) => o.text);
  if (!objs.length) return <Empty>The logger found no game objects near the crash.</Empty>;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label="objects" />
        <span className="muted small">
          {rows.length} of {objs.length}
        </span>
      </div>
      <table className="data-table cl-table" data-testid="crashlog-objects">
        <thead>
          <tr>
            <th>Where</th>
            <th>Type</th>
            <th>Name / editor id</th>
            <th>Form id</th>
            <th>Plugin</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o, i) => (
            <tr key={i} title={o.text}>
              <td className="mono">{o.where}</td>
              <td className="mono">{o.type ?? ''}</td>
              <td>{[o.name, o.editorId].filter(Boolean).join(' · ')}</td>
              <td className="mono">{o.formId ?? ''}</td>
              <td className="mono" title={o.files.join(' ← ')}>
                {o.file ?? ''}
                {o.files.length > 1 && <span className="muted small"> +{o.files.length - 1}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
