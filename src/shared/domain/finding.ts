import { z } from 'zod';

/** How bad a known issue is, most severe first (the order the UI and CLI sort by). */
export const Severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type Severity = z.infer<typeof Severity>;

export const SEVERITY_ORDER: readonly Severity[] = Severity.options;

/**
 * A known issue a rule recognised in a crash log or dump: what it is, why we think so
 * (evidence quoted from the input) and what to do about it.
 */
export const Finding = z.object({
  /** The rule's id, stable across versions of the rule file (e.g. "skyrim-shadow-scene-node"). */
  id: z.string(),
  severity: Severity,
  title: z.string(),
  explanation: z.string(),
  fix: z.string(),
  link: z.string().optional(),
  /** What in the input made the rule match, one line each ("faulting module SkyrimUpscaler.dll"). */
  evidence: z.array(z.string()).default([]),
});
export type Finding = z.infer<typeof Finding>;

/** Most severe first; ties keep rule order (Array.prototype.sort is stable). */
export function sortFindings<T extends { severity: Severity }>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}
