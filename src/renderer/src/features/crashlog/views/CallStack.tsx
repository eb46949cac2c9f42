import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { Empty } from './common';

export function CallStack({ a }: { a: CrashLogAnalysis }) {
  const frames = a.parsed.callStack;
  if (!frames.length) return <Empty>No call stack in this log.</Empty>;
  const faulting = a.parsed.exception?.module?.toLowerCase();
  return (
    <table className="data-table cl-table" data-testid="crashlog-callstack">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Address</th>
          <th>Module + offset</th>
          <th>Function / instruction</th>
        </tr>
      </thead>
      <tbody>
        {frames.map((f, i) => (
          <tr
            key={i}
            className={f.module && f.module.toLowerCase() === faulting && i === 0 ? 'cl-fault' : ''}
          >
            <td className="num">{f.index}</td>
            <td className="mono">{f.address ?? ''}</td>
            <td className="mono">{f.module ? `${f.module}+${f.offset ?? ''}` : '—'}</td>
            <td className="mono">
              {[f.symbol, f.instruction, f.addressId ? `id ${f.addressId}` : null]
                .filter(Boolean)
                .join('  ·  ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
