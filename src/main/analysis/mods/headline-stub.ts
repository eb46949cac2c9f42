import type { ProbableCause } from '../../../shared/domain/incident';
import { describeModFile } from '../../../shared/domain/mod-label';

/**
 * Stand-in for the culprit model's buildHeadline (src/main/analysis/cause/headline.ts, on the
 * answer branch) until it reaches main: the same sentence shape, naming the mod when known.
 * TODO(setup): import buildHeadline from '../cause/headline' once merged, and delete this file.
 */
export function buildHeadline(cause: Omit<ProbableCause, 'headline'>): string {
  const subject =
    cause.subject === null
      ? 'not enough evidence to name a cause'
      : cause.mod
        ? describeModFile(cause.subject, cause.mod)
        : cause.subject;
  return `Probable cause: ${subject} — ${cause.why}, ${cause.confidence} confidence. Next: ${cause.next}`;
}
