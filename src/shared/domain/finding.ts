import { z } from 'zod';
import { SEVERITY_ORDER } from './severity';

export { SEVERITY_ORDER, sortFindings } from './severity';

/** How bad a known issue is, most severe first (the order the UI and CLI sort by). */
export const Severity = z.enum(SEVERITY_ORDER);
export type Severity = z.infer<typeof Severity>;

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
