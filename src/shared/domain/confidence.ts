/**
 * How sure a probable cause is, the values of incident.ts's Confidence schema; here without zod
 * for the index's listing, which checks each row's stored value against them (issue 15).
 */
export const CONFIDENCE_LEVELS = ['high', 'medium', 'low', 'unknown'] as const;
