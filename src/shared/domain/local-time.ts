/**
 * Capture times are local wall-clock without a zone (SkyrimDiag's `<ts>`, crash-log names), so
 * every incident time is kept that way: an ISO string without zone plus a sortable number
 * computed as if the wall clock were UTC. File mtimes are converted to the same form.
 */
export function localIsoFromMs(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function sortKeyOfLocalIso(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?$/.exec(iso);
  if (!m) return 0;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms ?? 0);
}
