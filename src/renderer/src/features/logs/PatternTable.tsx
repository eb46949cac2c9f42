import { usePagedVirtualizer } from '../../lib/paged-virtualizer';
import { formatTime } from '../../lib/format';
import { useLogsStore } from './logs-store';

const ROW_HEIGHT = 30;
const HEAD_HEIGHT = 26;

/** First/last seen: the log's own time when it has one, and the line (`L123`). */
function When({ line, ts }: { line: number; ts: string | null }) {
  return (
    <>
      {ts ? `${formatTime(ts).slice(5)} ` : ''}
      <span className="muted">L{line.toLocaleString()}</span>
    </>
  );
}

/** Virtualized pattern table: severity, count, first/last seen, example; click shows it in the raw view. */
export function PatternTable() {
  const rows = useLogsStore((s) => s.rows);
  const total = useLogsStore((s) => s.total);
  const selectedId = useLogsStore((s) => s.selectedId);
  const select = useLogsStore((s) => s.select);
  const ensureRange = useLogsStore((s) => s.ensureRange);
  const loading = useLogsStore((s) => s.loading);
  const { scrollRef, virtualizer, items } = usePagedVirtualizer({
    total,
    rows,
    rowHeight: ROW_HEIGHT,
    headHeight: HEAD_HEIGHT,
    overscan: 10,
    ensureRange,
  });

  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = rows.findIndex((r) => r?.id === selectedId);
    const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? Math.max(0, at - 1) : -1;
    const row = to >= 0 ? rows[to] : undefined;
    if (row) {
      e.preventDefault();
      select(row);
      virtualizer.scrollToIndex(to, { align: 'auto' });
    }
  };

  return (
    <div
      ref={scrollRef}
      className="logs-table"
      role="grid"
      aria-label="Log patterns"
      aria-rowcount={total + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="log-patterns"
    >
      <div className="logs-row logs-head" role="row" aria-rowindex={1}>
        <span role="columnheader">Severity</span>
        <span role="columnheader" className="num">
          Count
        </span>
        <span role="columnheader">First seen</span>
        <span role="columnheader">Last seen</span>
        <span role="columnheader">Example</span>
      </div>
      {total === 0 && !loading && (
        <div role="row">
          <span role="gridcell" className="pad muted">
            No pattern matches.
          </span>
        </div>
      )}
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const p = rows[v.index];
          return (
            <div
              key={v.key}
              role="row"
              aria-rowindex={v.index + 2}
              aria-selected={p?.id === selectedId}
              data-testid={p ? 'log-pattern' : 'log-pattern-loading'}
              className={`logs-row${p?.id === selectedId ? ' selected' : ''}${p ? ` sev-${p.severity}` : ''}`}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${v.start - HEAD_HEIGHT}px)`,
              }}
              onClick={() => p && select(p)}
              title={p ? `${p.signature}\n\nClick: first occurrence (line ${p.firstLine})` : undefined}
            >
              {p ? (
                <>
                  <span role="gridcell">
                    <span className={`sev-badge sev-${p.severity}`}>{p.severity}</span>
                  </span>
                  <span role="gridcell" className="num mono">
                    {p.count.toLocaleString()}
                  </span>
                  <span role="gridcell" className="mono small">
                    <When line={p.firstLine} ts={p.firstTs} />
                  </span>
                  <span role="gridcell">
                    <button
                      type="button"
                      className="link mono small"
                      title={`Show the last occurrence (line ${p.lastLine})`}
                      onClick={(e) => {
                        e.stopPropagation();
                        select(p, 'last');
                      }}
                    >
                      <When line={p.lastLine} ts={p.lastTs} />
                    </button>
                  </span>
                  <span role="gridcell" className="mono ellipsis example">
                    {p.example}
                  </span>
                </>
              ) : (
                <span role="gridcell" className="muted">
                  …
                </span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
