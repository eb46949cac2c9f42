/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term
 * (so `d6ddda` finds `SkyrimSE.exe+D6DDDA`) and FTS syntax characters cannot break the query.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}
