import { useEffect } from 'react';
import { GAME_LABEL } from '../../../../shared/domain/game';
import { usePagedVirtualizer } from '../../lib/paged-virtualizer';
import { formatTime } from '../../lib/format';
import { RegressedPill } from '../causes/RegressedPill';
import { KindBadge, SOURCE_LABEL, StatusPill } from './badges';
import { useListStore } from './list-store';
import { ConfidenceMark } from './ProbableCause';

/**
 * The verdict column: the probable cause without its "Probable cause: " lead (the column says
 * what it is), else the technical verdict.
 */
function listVerdict(headline: string | null | undefined, title: string): string {
  return headline ? headline.replace(/^Probable cause: /, '') : title;
}

/** Two lines of verdict: the cause named at the end of a long headline still shows. */
const ROW_HEIGHT = 46;
/** The column header sits inside the scroller (sticky) so columns line up with or without a scrollbar. */
const HEAD_HEIGHT = 28;
const COLUMNS = ['Kind', 'Game', 'Captured', 'Verdict', 'Signature', 'Source', 'Status'];

interface Props {
  onOpen(id: string): void;
  onFocusSearch(): void;
}

/**
 * Virtualized incident table: only the visible rows exist in the DOM, pages load as they scroll
 * in. ARIA grid: the scroller is the focusable grid (the selected row is its active descendant),
 * rows carry their position in the whole list (aria-rowindex), every cell is a gridcell.
 */
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
    <div className="incident-table">
      <div
        ref={scrollRef}
        className="incident-scroll"
        role="grid"
        aria-label="Incidents (Enter opens, arrows move, / searches)"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="incident-list"
        aria-activedescendant={rows[selected] ? `row-${selected}` : undefined}
      >
        <div className="incident-row incident-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index];
            const isSel = v.index === selected;
            return (
              <div
                key={v.key}
                id={`row-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
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
                    <span role="gridcell">
                      <KindBadge kind={r.kind} />
                    </span>
                    <span role="gridcell" className="ellipsis" data-testid="incident-game">
                      {r.game ? GAME_LABEL[r.game] : <span className="muted">—</span>}
                    </span>
                    <span
                      role="gridcell"
                      className="mono nowrap"
                      title={r.capturedAt}
                      data-testid="incident-time"
                    >
                      {formatTime(r.capturedAt)}
                    </span>
                    <span
                      role="gridcell"
                      className="title-cell"
                      title={r.headline ? `${r.headline}\n${r.title}` : r.title}
                    >
                      {r.hasErrors && (
                        <span
                          className="error-marker"
                          role="img"
                          aria-label="A file of this incident failed to parse"
                          title="A file of this incident failed to parse"
                        >
                          !
                        </span>
                      )}
                      {r.confidence && <ConfidenceMark confidence={r.confidence} />}
                      <span className="verdict-text" data-testid="incident-verdict">
                        {listVerdict(r.headline, r.title) || <span className="muted">(no verdict yet)</span>}
                      </span>
                    </span>
                    <span role="gridcell" className="ellipsis mono muted" title={r.signature ?? ''}>
                      {r.signature ?? '—'}
                    </span>
                    <span role="gridcell" className="ellipsis" title={r.folder}>
                      {SOURCE_LABEL[r.source] ?? r.source}
                    </span>
                    <span role="gridcell">
                      <StatusPill status={r.status} />
                      {r.regressed && <RegressedPill />}
                    </span>
                  </>
                ) : (
                  <span role="gridcell" className="row-skeleton" aria-label="Loading" />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
