import type { ProbableCause } from '../../../shared/domain/incident';

/**
 * The one sentence a player reads first, built in one place so Overview, the incident list,
 * the CLI and the issue report say the same thing:
 *
 *   "Probable cause: Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2) — owns the faulting
 *    instruction, high confidence. Next: Update or disable Smart Harvest NG AutoLoot …"
 *   "Probable cause: unknown — the crash is in the game's own code and no mod is on the stack.
 *    Next: Install Crash Logger SSE AE VR …"
 *
 * Callers that learn more about the subject later (the mod name from Mod Organizer 2) set
 * `cause.mod` and call this again.
 */
export function buildHeadline(cause: Omit<ProbableCause, 'headline'> & { headline?: string }): string {
  const why = trimEnd(cause.why);
  const next = trimEnd(cause.next);
  const stop = next.endsWith('…') ? '' : '.';
  if (cause.subject === null || cause.confidence === 'unknown')
    return `Probable cause: unknown — ${why}. Next: ${next}${stop}`;
  return `Probable cause: ${subjectText(cause)} — ${why}, ${cause.confidence} confidence. Next: ${next}${stop}`;
}

/** "Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2)", "SmartHarvestSE.dll v5.2", "Wyrmstooth.esp". */
export function subjectText(
  cause: Pick<ProbableCause, 'subject' | 'mod' | 'subjectKind'> & { version?: string | undefined },
): string {
  const subject = cause.subject ?? 'unknown';
  const version = cause.mod?.version ?? cause.version;
  const v = version ? `v${version.replace(/^v/i, '')}` : '';
  if (cause.mod && cause.mod.name.toLowerCase() !== subject.toLowerCase())
    return `${cause.mod.name} (${subject}${v ? `, ${v}` : ''})`;
  return v ? `${subject} ${v}` : subject;
}

function trimEnd(s: string): string {
  return s.trim().replace(/[.\s]+$/, '');
}
