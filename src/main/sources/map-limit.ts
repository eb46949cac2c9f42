/**
 * Maps with at most `limit` calls in flight, keeping input order in the result. Scans touch
 * thousands of small files; awaiting them one at a time leaves the disk and the thread pool
 * idle between calls, while unbounded parallelism opens too many handles at once.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
