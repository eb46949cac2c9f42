import { sortFindings, type Finding } from '../../../shared/domain/finding';
import { Verdict, type VerdictInput } from '../../../shared/domain/incident';

/**
 * The incident keeps the best artifact's verdict, but a known issue found in any of its
 * artifacts (a crash log next to a dump) still belongs to it: findings are merged by rule id,
 * evidence unioned, most severe first.
 */
export function incidentVerdict(
  best: VerdictInput | undefined,
  all: readonly (VerdictInput | undefined)[],
): Verdict | null {
  if (!best) return null;
  const byId = new Map<string, Finding>();
  // `best` is usually one of `all`: parsed once (a scan merges a verdict per incident).
  let base: ReturnType<typeof Verdict.safeParse> | null = null;
  for (const v of all) {
    const parsed = v ? Verdict.safeParse(v) : null;
    if (v === best) base = parsed;
    for (const f of parsed?.success ? parsed.data.findings : []) {
      const prev = byId.get(f.id);
      if (!prev) byId.set(f.id, { ...f, evidence: [...f.evidence] });
      else
        for (const e of f.evidence)
          if (!prev.evidence.includes(e) && prev.evidence.length < 12) prev.evidence.push(e);
    }
  }
  base ??= Verdict.safeParse(best);
  if (!base.success) return null;
  return { ...base.data, findings: sortFindings([...byId.values()]) };
}
