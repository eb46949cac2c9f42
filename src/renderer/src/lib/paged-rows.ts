/**
 * Sparse rows of a list that arrives in pages (incident list, log patterns): index → row,
 * with holes where a page has not been fetched yet. Pairs with usePagedVirtualizer.
 */
export type PagedRows<T> = (T | undefined)[];

/** The rows with one fetched page put in; page 0 starts afresh (a new query, a new total). */
export function withPage<T>(
  rows: PagedRows<T>,
  page: number,
  pageSize: number,
  total: number,
  items: readonly T[],
): PagedRows<T> {
  const next = page === 0 ? new Array<T | undefined>(total) : rows.slice();
  next.length = total;
  items.forEach((item, i) => {
    next[page * pageSize + i] = item;
  });
  return next;
}

/** The pages over rows [start, end] that are not fully there yet. */
export function missingPages(
  rows: PagedRows<unknown>,
  total: number,
  pageSize: number,
  start: number,
  end: number,
): number[] {
  const pages: number[] = [];
  const last = Math.min(end, total - 1);
  for (let p = Math.floor(start / pageSize); p * pageSize <= last; p++) {
    const from = p * pageSize;
    const to = Math.min(from + pageSize, total) - 1;
    if (rows[from] === undefined || rows[to] === undefined) pages.push(p);
  }
  return pages;
}
