import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EtwEventDetail, EtwSummary } from '../../../../shared/domain/etw';
import { formatEtwValue, formatEventTime } from '../../../../shared/domain/etw-format';
import { hexRows } from '../../../../shared/domain/minidump-format';
import { useEtwStore } from './etw-store';

const ROW = 26;

/** Provider/event/process filters and the virtualized, time-ordered event list. */
export function EtwEvents({ summary }: { summary: EtwSummary }) {
  const filter = useEtwStore((s) => s.filter);
  const setFilter = useEtwStore((s) => s.setFilter);
  const total = useEtwStore((s) => s.total);
  const rows = useEtwStore((s) => s.rows);
  const ensureRange = useEtwStore((s) => s.ensureRange);
  const select = useEtwStore((s) => s.select);
  const selected = useEtwStore((s) => s.selected);
  const [pid, setPid] = useState(filter.pid);
  const scrollRef = useRef<HTMLDivElement>(null);
  const events = useMemo(
    () =>
      [
        ...new Set(
          summary.types.filter((t) => !filter.provider || t.provider === filter.provider).map((t) => t.event),
        ),
      ].sort(),
    [summary.types, filter.provider],
  );

  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total > 0) ensureRange(first, last);
  }, [first, last, total, ensureRange]);

  return (
    <div className="etw-events">
      <div className="etw-filters">
        <select
          aria-label="Provider"
          data-testid="etw-filter-provider"
          value={filter.provider}
          onChange={(e) => setFilter({ provider: e.target.value, event: '' })}
        >
          <option value="">All providers</option>
          {summary.providers.map((p) => (
            <option key={`${p.guid}|${p.name}`} value={p.name}>
              {p.name} ({p.events.toLocaleString('en-US')})
            </option>
          ))}
        </select>
        <select
          aria-label="Event"
          data-testid="etw-filter-event"
          value={filter.event}
          onChange={(e) => setFilter({ event: e.target.value })}
        >
          <option value="">All events</option>
          {events.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
        <input
          aria-label="Process id"
          placeholder="PID"
          value={pid}
          size={8}
          onChange={(e) => setPid(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => e.key === 'Enter' && setFilter({ pid })}
          onBlur={() => pid !== filter.pid && setFilter({ pid })}
        />
        <span className="etw-muted" data-testid="etw-event-count">
          {total.toLocaleString('en-US')} events
        </span>
      </div>
      <div className="etw-split">
        <div
          className="etw-list"
          ref={scrollRef}
          data-testid="etw-event-list"
          tabIndex={0}
          role="region"
          aria-label="Events"
        >
          <div className="etw-row etw-head">
            <span>Time (ms)</span>
            <span>Event · provider</span>
            <span>PID</span>
            <span>TID</span>
            <span>CPU</span>
            <span>Bytes</span>
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const r = rows.get(v.index);
              return (
                <div
                  key={v.key}
                  className={`etw-row${r && selected?.position === r.position ? ' selected' : ''}`}
                  data-testid={r ? 'etw-event-row' : 'etw-event-loading'}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW,
                    transform: `translateY(${v.start}px)`,
                  }}
                  onClick={() => r && void select(r.position)}
                >
                  {r ? (
                    <>
                      <span className="etw-mono">{formatEventTime(r.timeMs)}</span>
                      <span title={`${r.provider}/${r.event}`}>
                        {r.event}
                        <span className="etw-muted etw-provider">{r.provider}</span>
                      </span>
                      <span>{r.pid < 0 ? '' : r.pid}</span>
                      <span>{r.tid < 0 ? '' : r.tid}</span>
                      <span>{r.cpu}</span>
                      <span>{r.payloadLength}</span>
                    </>
                  ) : (
                    <span className="etw-muted">…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <EventDetail />
      </div>
    </div>
  );
}

function EventDetail() {
  const d = useEtwStore((s) => s.selected);
  const err = useEtwStore((s) => s.selectedError);
  if (err) return <div className="etw-detail etw-muted">{err}</div>;
  if (!d) return <div className="etw-detail etw-muted">Select an event to see its fields and bytes.</div>;
  return <Detail d={d} />;
}

function Detail({ d }: { d: EtwEventDetail }) {
  const hex = hexRows('0x0', d.recordHex);
  const payloadRow = Math.floor(d.payloadStart / 16);
  return (
    <div className="etw-detail" data-testid="etw-event-detail">
      <h3>
        {d.provider}/{d.event}
      </h3>
      <div className="etw-kv">
        <span>time</span>
        <span>{formatEventTime(d.timeMs)} ms</span>
        <span>process / thread</span>
        <span>
          {d.pid} / {d.tid} (CPU {d.cpu})
        </span>
        <span>header</span>
        <span>
          {d.headerKind}, id {d.id} v{d.version}, opcode {d.opcode}, level {d.level}, task {d.task}, keyword{' '}
          {d.keyword}
        </span>
        <span>provider</span>
        <span className="etw-mono">{d.providerGuid}</span>
        {d.activityId && d.activityId !== '00000000-0000-0000-0000-000000000000' && (
          <>
            <span>activity</span>
            <span className="etw-mono">{d.activityId}</span>
          </>
        )}
        <span>decoded by</span>
        <span>{d.decodedBy}</span>
      </div>
      {d.fields.length > 0 && (
        <table className="etw-table" data-testid="etw-fields">
          <thead>
            <tr>
              <th>Field</th>
              <th>Type</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {d.fields.map((f, i) => (
              <tr key={`${f.name}-${i}`}>
                <td>{f.name}</td>
                <td className="etw-muted">{f.type}</td>
                <td className="etw-mono etw-value">{formatEtwValue(f.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.extended.length > 0 && (
        <table className="etw-table">
          <thead>
            <tr>
              <th>Extended item</th>
              <th>Bytes</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {d.extended.map((x, i) => (
              <tr key={i}>
                <td>{x.name}</td>
                <td>{x.size}</td>
                <td className="etw-mono etw-value">{formatEtwValue(x.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.notes.map((n) => (
        <p key={n} className="etw-muted">
          {n}
        </p>
      ))}
      <pre className="etw-mono etw-hex" data-testid="etw-hex">
        {hex.map((line, i) => (
          <div key={i} className={i >= payloadRow ? 'etw-hex-payload' : undefined}>
            {line}
          </div>
        ))}
      </pre>
    </div>
  );
}
