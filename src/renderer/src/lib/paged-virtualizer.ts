import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';

/**
 * A virtualized table over sparse, paged rows (incident list, log patterns): only visible rows
 * exist in the DOM, and `ensureRange` is asked for the pages that scroll in. The header sits
 * inside the scroller (sticky), so columns line up with or without a scrollbar.
 */
export function usePagedVirtualizer(opts: {
  total: number;
  /** Changes when pages arrive, so holes that scrolled in are asked for again. */
  rows: unknown;
  rowHeight: number;
  headHeight: number;
  overscan?: number;
  ensureRange(start: number, end: number): void;
}) {
  const { total, rows, rowHeight, headHeight, ensureRange } = opts;
  const scrollRef = useRef<HTMLDivElement>(null);
  // Nothing memoizes the callers, so the virtualizer's fresh functions are safe to use.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: opts.overscan ?? 12,
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total > 0) ensureRange(first, last);
  }, [first, last, total, rows, ensureRange]);
  return { scrollRef, virtualizer, items };
}
