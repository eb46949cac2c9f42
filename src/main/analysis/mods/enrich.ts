import type { Finding } from '../../../shared/domain/finding';
import type { ModRef, ProbableCause, Suspect, Verdict } from '../../../shared/domain/incident';
import { describeModFile } from '../../../shared/domain/setup';
import { buildHeadline } from './headline-stub';
import { lookupMod, type ModIndex } from './mod-index';

/**
 * Names the mod behind every file a verdict blames: each suspect and the probable cause get
 * their `mod` (from the mod manager's files, which beat a guess from a path or SkyrimDiag's
 * folder name), the headline is rebuilt so it reads "Smart Harvest NG AutoLoot
 * (SmartHarvestSE.dll, v5.2)", and a finding whose evidence names a file gets a line saying
 * which mod ships it. Pure: the same verdict and index give the same result, so re-running it
 * on a rescan changes nothing.
 */

/** A mod reference we may replace: anything not set by the user. */
const REPLACEABLE: ReadonlySet<ModRef['source']> = new Set(['skyrimdiag', 'path', 'mo2', 'vortex']);
/** File names as they appear in evidence text ("faulting module SmartHarvestSE.dll"). */
const FILE_IN_TEXT = /[\w .'()+\-[\]]+?\.(?:dll|exe|esp|esm|esl)\b/gi;
const MAX_MOD_LINES = 4;

function withMod<T extends { mod?: ModRef }>(item: T, ref: ModRef | null): T {
  if (!ref) return item;
  if (item.mod && !REPLACEABLE.has(item.mod.source)) return item;
  return { ...item, mod: ref };
}

function suspectMod(index: ModIndex, s: Suspect): ModRef | null {
  return lookupMod(index, s.name)?.mod ?? null;
}

/** "faulting module Smart Harvest.esp" → the entry for "Smart Harvest.esp" (names may hold spaces). */
function longestKnownSuffix(index: ModIndex, text: string) {
  const words = text.trim().split(/[\s(]+/);
  for (let i = 0; i < words.length; i++) {
    const hit = lookupMod(index, words.slice(i).join(' '));
    if (hit) return hit;
  }
  return null;
}

function findingWithMods(index: ModIndex, f: Finding): Finding {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const e of f.evidence) {
    if (e.startsWith('from the mod ')) continue;
    for (const m of e.matchAll(FILE_IN_TEXT)) {
      const hit = longestKnownSuffix(index, m[0]);
      if (!hit || seen.has(hit.file.toLowerCase())) continue;
      seen.add(hit.file.toLowerCase());
      lines.push(`from the mod ${describeModFile(hit.file, hit.mod)}`);
    }
  }
  if (lines.length === 0) return f;
  const kept = f.evidence.filter((e) => !e.startsWith('from the mod '));
  return { ...f, evidence: [...kept, ...lines.slice(0, MAX_MOD_LINES)] };
}

export function enrichVerdict(verdict: Verdict, index: ModIndex | null): Verdict {
  if (!index || index.byFile.size === 0) return verdict;
  const suspects = verdict.suspects.map((s) => withMod(s, suspectMod(index, s)));
  const probableCause = enrichCause(verdict.probableCause ?? null, index);
  return { ...verdict, suspects, probableCause, findings: enrichFindings(verdict.findings, index) };
}

/** The probable cause with the mod that ships its module or plugin, and a headline naming it. */
export function enrichCause(cause: ProbableCause | null, index: ModIndex | null): ProbableCause | null {
  if (!index || !cause?.subject || (cause.subjectKind !== 'module' && cause.subjectKind !== 'plugin'))
    return cause;
  const ref = lookupMod(index, cause.subject)?.mod ?? null;
  const next = withMod(cause, ref);
  if (next === cause) return cause;
  const { headline: _old, ...rest } = next;
  return { ...next, headline: buildHeadline(rest) };
}

/** Findings with a "from the mod …" evidence line for each file they name that a mod ships. */
export function enrichFindings(findings: readonly Finding[], index: ModIndex | null): Finding[] {
  return index ? findings.map((f) => findingWithMods(index, f)) : [...findings];
}

/** Items named by a file (crash-log suspects, dump culprits) with the mod that ships it. */
export function withModsByName<T extends { mod?: ModRef }>(
  items: readonly T[],
  nameOf: (t: T) => string,
  index: ModIndex | null,
): T[] {
  return index ? items.map((t) => withMod(t, lookupMod(index, nameOf(t))?.mod ?? null)) : [...items];
}

/** The mods a verdict implicates, for per-mod trends: faulting first, then the suspects. */
export function implicatedMods(verdict: Verdict): { mod: ModRef; file: string; faulting: boolean }[] {
  const out = new Map<string, { mod: ModRef; file: string; faulting: boolean }>();
  const faulting = verdict.faultingModule?.toLowerCase() ?? null;
  const add = (mod: ModRef | undefined, file: string) => {
    if (!mod) return;
    const key = mod.name.toLowerCase();
    const isFaulting = faulting !== null && file.toLowerCase().endsWith(faulting);
    const had = out.get(key);
    if (!had) out.set(key, { mod, file, faulting: isFaulting });
    else had.faulting ||= isFaulting;
  };
  if (verdict.probableCause?.mod && verdict.probableCause.subject)
    add(verdict.probableCause.mod, verdict.probableCause.subject);
  for (const s of verdict.suspects) add(s.mod, s.name);
  return [...out.values()];
}
