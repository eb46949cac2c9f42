import type { ProbableCause } from '../../../shared/domain/incident';
import { baseName } from './victims';

/**
 * Level two of the signature: the culprit key, the probable cause's subject (docs/SIGNATURES.md).
 * Two incidents with different stacks but the same culprit ("SmartHarvestSE.dll") share it, so a
 * cause the player confirmed once is shown again when the same mod comes back another way.
 */

export type CulpritKind = ProbableCause['subjectKind'];

/** `module:smartharvestse.dll`, `plugin:foo.esp`, `mod:smart harvest se`; null when nothing is named. */
export function culpritKey(kind: CulpritKind, subject: string | null | undefined): string | null {
  const s = subject?.trim();
  if (!s || kind === 'unknown') return null;
  const fileLike = kind === 'module' || kind === 'plugin';
  const name = (fileLike ? baseName(s) : s).toLowerCase().replace(/\s+/g, ' ').trim();
  return name ? `${kind}:${name}` : null;
}

/** The culprit key of a verdict's probable cause; none when the model could not name one. */
export function culpritKeyOf(pc: ProbableCause | null | undefined): string | null {
  if (!pc || pc.confidence === 'unknown') return null;
  return culpritKey(pc.subjectKind, pc.subject);
}

/** A key for a name the player picked (a suspect): plugins by extension, everything else a module. */
export function culpritKeyOfName(name: string): string | null {
  return culpritKey(/\.es[pml]$/i.test(name.trim()) ? 'plugin' : 'module', name);
}

/** "module:smartharvestse.dll" -> "smartharvestse.dll" (for rule files and display). */
export function culpritName(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}
