import type { DumpCulprit } from '../../../shared/domain/minidump';
import { moduleRole } from './module-roles';
import type { StackFrame } from './stackwalk';

const TOP_FRAMES = 5;

/**
 * Ranks non-system, non-game modules by evidence: being the faulting module weighs most, then
 * appearing in the first unwound frames, then how often the module shows up on the scanned stack.
 */
export function rankCulprits(
  faultingModule: string | undefined,
  frames: readonly StackFrame[],
  scanHits: readonly { module: string }[],
): DumpCulprit[] {
  const acc = new Map<string, { score: number; evidence: string[] }>();
  const get = (m: string): { score: number; evidence: string[] } => {
    let e = acc.get(m);
    if (!e) acc.set(m, (e = { score: 0, evidence: [] }));
    return e;
  };
  if (faultingModule && moduleRole(faultingModule) === 'other') {
    const e = get(faultingModule);
    e.score += 50;
    e.evidence.push('faulting module');
  }
  frames.slice(0, TOP_FRAMES).forEach((f) => {
    if (!f.module || moduleRole(f.module) !== 'other') return;
    const e = get(f.module);
    e.score += (10 * (TOP_FRAMES - f.index)) / TOP_FRAMES + 2;
    e.evidence.push(`frame ${f.index}${f.function ? ` (${f.function})` : ''} [${f.trust}]`);
  });
  const counts = new Map<string, number>();
  for (const h of scanHits)
    if (moduleRole(h.module) === 'other') counts.set(h.module, (counts.get(h.module) ?? 0) + 1);
  for (const [m, n] of counts) {
    const e = get(m);
    e.score += Math.min(n, 20);
    e.evidence.push(`${n} address${n === 1 ? '' : 'es'} on the scanned stack`);
  }
  return [...acc.entries()]
    .map(([module, e]) => ({ module, score: Math.round(e.score * 10) / 10, evidence: e.evidence }))
    .sort((a, b) => b.score - a.score || a.module.localeCompare(b.module))
    .slice(0, 5);
}
