import type { NumberRange, VersionRange } from '../../../shared/domain/rules';

/** Numeric, component-wise ("1.6.1170" > "1.6.640"; "1.10" > "1.9"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function inVersionRange(v: string, r: VersionRange): boolean {
  if (!/\d/.test(v)) return false;
  if (r.eq !== undefined && compareVersions(v, r.eq) !== 0) return false;
  if (r.lt !== undefined && !(compareVersions(v, r.lt) < 0)) return false;
  if (r.lte !== undefined && !(compareVersions(v, r.lte) <= 0)) return false;
  if (r.gt !== undefined && !(compareVersions(v, r.gt) > 0)) return false;
  if (r.gte !== undefined && !(compareVersions(v, r.gte) >= 0)) return false;
  return true;
}

export function describeVersionRange(r: VersionRange): string {
  const parts: string[] = [];
  if (r.eq !== undefined) parts.push(`= ${r.eq}`);
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.gte !== undefined) parts.push(`≥ ${r.gte}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  if (r.lte !== undefined) parts.push(`≤ ${r.lte}`);
  return parts.join(' and ');
}

export function inNumberRange(n: number, r: NumberRange): boolean {
  return (
    (r.lt === undefined || n < r.lt) &&
    (r.lte === undefined || n <= r.lte) &&
    (r.gt === undefined || n > r.gt) &&
    (r.gte === undefined || n >= r.gte)
  );
}
