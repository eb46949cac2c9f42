import type { ProbableCause, Suspect } from '../../shared/domain/incident';
import { describeModFile } from '../../shared/domain/mod-label';

// What `analyze` prints for a dump and for a crash log alike, in a module of its own so that
// neither path loads the other's analyzers (issue 15).

/** JSON cannot carry bigint; addresses are shown as hex like Breakpad does. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2);
}

/** The headline first, then what the input lacked (the answer a player reads before anything else). */
export function causeLines(cause: ProbableCause | null, missing: readonly string[]): string[] {
  const out = cause ? [cause.headline] : [];
  if (missing.length) out.push(`incomplete: no ${missing.join('; no ')}`);
  return out;
}

export function suspectLine(s: Suspect): string {
  const who = s.mod ? describeModFile(s.name, s.mod) : s.name;
  return `suspect: ${who}${s.version ? ` v${s.version}` : ''} (${s.role ?? 'unknown'}, ${s.score}): ${s.reason}`;
}
