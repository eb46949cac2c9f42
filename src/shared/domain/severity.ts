/**
 * Severity order and sorting without zod: the analysis path of `analyze` imports these, and
 * loading zod there would cost more CPU than the analysis itself (issue 15). The schema
 * (`Severity` in finding.ts) is built from this list.
 */

/** How bad a known issue is, most severe first (the order the UI and CLI sort by). */
export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITY_ORDER)[number];

/** Most severe first; ties keep rule order (Array.prototype.sort is stable). */
export function sortFindings<T extends { severity: Severity }>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}
