import type { CrashLogSlot } from '../../../../../shared/domain/crashlog';
import { Empty, Filter, useFiltered } from './common';

const slotText = (s: CrashLogSlot) =>
  `${s.name} ${s.value ?? ''} ${s.annotation ?? ''} ${s.details.join(' ')}`;

/** Registers or stack slots: name, value and what the logger found there. */
export function Slots({ slots, label, testId }: { slots: CrashLogSlot[]; label: string; testId: string }) {
  const [rows, q, setQ] = useFiltered(slots, slotText);
  if (!slots.length) return <Empty>No {label} in this log.</Empty>;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label={label} />
        <span className="muted small">
          {rows.length} of {slots.length}
        </span>
      </div>
      <table className="data-table cl-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{label === 'registers' ? 'Register' : 'Slot'}</th>
            <th>Value</th>
            <th>What the logger found there</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s, i) => (
            <tr key={`${s.name}-${i}`}>
              <td className="mono">{s.name}</td>
              <td className="mono">{s.value ?? ''}</td>
              <td className="mono">
                {s.annotation}
                {s.details.length > 0 && (
                  <pre className="cl-details">{s.details.map((d) => d.trim()).join('\n')}</pre>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
