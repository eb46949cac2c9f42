import type { DumpFrame } from '../../../../shared/domain/minidump';
import { frameLabel, TRUST_LABEL } from '../../../../shared/domain/minidump-format';

/** One thread's frames with how each was found (frame trust). */
export function Stack({ frames }: { frames: DumpFrame[] }) {
  if (frames.length === 0) return <p className="crash-muted">No stack could be recovered.</p>;
  return (
    <table className="crash-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Frame</th>
          <th>IP</th>
          <th>Found by</th>
        </tr>
      </thead>
      <tbody>
        {frames.map((f) => (
          <tr key={f.index} className={`crash-trust-${f.trust}`}>
            <td>{f.index}</td>
            <td className="crash-mono">{frameLabel(f)}</td>
            <td className="crash-mono">{f.ip}</td>
            <td title={TRUST_LABEL[f.trust]}>{f.trust}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
