/**
 * How far an anchor with triggers may look from its start (characters); FORMAT.md says so.
 * Its own module so the scan worker (scan-worker.ts) loads the byte engine without the rule
 * file schema (zod is a large part of a worker's start).
 */
export const ANCHOR_REACH = { before: 16, after: 64 } as const;
