import { useEffect } from 'react';
import { usePagedVirtualizer } from '../../lib/paged-virtualizer';
import { formatTime } from '../../lib/format';
import { RegressedPill } from '../causes/RegressedPill';
import { KindBadge, SOURCE_LABEL, StatusPill } from './badges';
import { useListStore } from './list-store';

const ROW_HEIGHT = 34;
/** The column header sits inside the scroller (sticky) so columns line up with or without a scrollbar. */
const HEAD_HEIGHT = 28;

interface Props {
  onOpen(id: string): void;
  onFocusSearch(): void;
}

/** Virtualized incident table: only the visible rows exist in the DOM, pages load as they scroll in. */
export function IncidentList({ onOpen, onFocusSearch }: Props) {
  const rows = useListStore((s) => s.rows);
  const total = useListStore((s) => s.total);
  const selected = useListStore((s) => s.selected);
  const select = useListStore((s) => s.select);
  const ensureRange = useListStore((s) => s.ensureRange);
  const { scrollRef, virtualizer, items } = usePagedVirtualizer({
    total,
    rows,
    rowHeight: ROW_HEIGHT,
    headHeight: HEAD_HEIGHT,
    ensureRange,
  });

  useEffect(() => {
    if (total > 0) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, total, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(
      1,
      Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEAD_HEIGHT) / ROW_HEIGHT) - 1,
    );
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
      Home: 0,
      End: total - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && selected === 0) onFocusSearch();
      else select(to);
    } else if (e.key === 'Enter') {
      const row = rows[selected];
      if (row) {
        e.preventDefault();
        onOpen(row.id);
      }
    }
  };

  return (
    <div className="incident-table" role="grid" aria-rowcount={total}>
      <div
        ref={scrollRef}
        className="incident-scroll"
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="incident-list"
        aria-activedescendant={rows[selected] ? `row-${selected}` : undefined}
      >
        <div className="incident-row incident-head" role="row">
          <span role="columnheader">Kind</span>
          <span role="columnheader">Captured</span>
          <span role="columnheader">Verdict</span>
          <span role="columnheader">Signature</span>
          <span role="columnheader">Source</span>
          <span role="columnheader">Status</span>
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index];
            const isSel = v.index === selected;
            return (
              <div
                key={v.key}
                id={`row-${v.index}`}
                role="row"
                aria-selected={isSel}
                data-testid={r ? 'incident-row' : 'incident-row-loading'}
                data-id={r?.id}
                className={`incident-row${isSel ? ' selected' : ''}${r?.hasErrors ? ' has-errors' : ''}${r?.status === 'fixed' || r?.status === 'ignored' ? ' dim' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${v.start - HEAD_HEIGHT}px)`,
                }}
                onClick={() => select(v.index)}
                onDoubleClick={() => r && onOpen(r.id)}
              >
                {r ? (
                  <>
                    <span>
                      <KindBadge kind={r.kind} />
                    </span>
                    <span className="mono nowrap" title={r.capturedAt}>
                      {formatTime(r.capturedAt)}
                    </span>
                    <span className="title-cell" title={r.title}>
                      {r.hasErrors && (
                        <span className="error-marker" title="A file of this incident failed to parse">
                          !
                        </span>
                      )}
                      <span className="ellipsis">
                        {r.title || <span className="muted">(no verdict yet)</span>}
                      </span>
                    </span>
                    <span className="ellipsis mono muted" title={r.signature ?? ''}>
                      {r.signature ?? '—'}
                    </span>
                    <span className="ellipsis" title={r.folder}>
                      {SOURCE_LABEL[r.source] ?? r.source}
                    </span>
                    <span>
                      <StatusPill status={r.status} />
                      {r.regressed && <RegressedPill />}
                    </span>
                  </>
                ) : (
                  <span className="row-skeleton" />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
