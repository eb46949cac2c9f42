import { z } from 'zod';

/**
 * Causes the workbench learns: what the player confirmed an incident's cause was, and the fix
 * that worked. Keyed by the incident's two-level signature (docs/SIGNATURES.md), so a later
 * incident with the same bucket or culprit key shows it again, and a bucket marked fixed that
 * crashes again is flagged as regressed.
 */
export const ConfirmedCause = z.object({
  id: z.number().int(),
  /** The incident it was confirmed on; null for rules imported from a file. */
  incidentId: z.string().nullable(),
  /** Stable bucket (level one) it applies to. */
  bucket: z.string().nullable(),
  /** Culprit key (level two), e.g. "module:smartharvestse.dll". */
  culpritKey: z.string().nullable(),
  /** In the player's words: "it was Smart Harvest". */
  cause: z.string(),
  /** What fixed it: "updating to 5.3 fixed it"; '' when not known yet. */
  fix: z.string(),
  /** The fix worked: the bucket counts as fixed from this incident on (a later crash = regressed). */
  fixed: z.boolean(),
  /** When the player confirmed it (ISO-8601, UTC). */
  confirmedAt: z.string(),
  /** Capture time of the incident it was confirmed on (local wall clock, like incident times). */
  incidentCapturedAt: z.string().nullable(),
  origin: z.enum(['local', 'imported']),
  /** Imported: the rule file's name and the rule id. */
  source: z.string().nullable(),
});
export type ConfirmedCause = z.infer<typeof ConfirmedCause>;

export const CauseMatch = ConfirmedCause.extend({
  /** Which level of the signature matched this incident. */
  matchedBy: z.enum(['bucket', 'culprit', 'both']),
});
export type CauseMatch = z.infer<typeof CauseMatch>;

/** A bucket that was marked fixed and crashed again after that. */
export const Regression = z.object({
  /** Capture time of the last incident marked fixed (or confirmed fixed) before this one. */
  fixedAt: z.string(),
  fixedIncidentId: z.string().nullable(),
  /** The fix the player recorded, when there is one. */
  fix: z.string().nullable(),
});
export type Regression = z.infer<typeof Regression>;

export const IncidentCauses = z.object({
  bucket: z.string().nullable(),
  culpritKey: z.string().nullable(),
  /** Confirmed causes matching this incident (other incidents' and its own), newest first. */
  confirmed: z.array(CauseMatch),
  regressed: Regression.nullable(),
});
export type IncidentCauses = z.infer<typeof IncidentCauses>;
