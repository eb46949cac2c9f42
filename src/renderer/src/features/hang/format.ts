import type { ChainStep, HangThread } from '../../../../shared/domain/hang';

export function formatWait(ms: number | null): string {
  if (ms === null) return '—';
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function stepLabel(s: ChainStep): string {
  if (s.kind === 'object') return s.name ? `${s.typeName} "${s.name}"` : s.typeName;
  if (s.foreignProcess) return `thread ${s.tid} (pid ${s.pid})`;
  return `thread ${s.tid}`;
}

/** Threads worth a first look: every blocked one plus the main thread. */
export function visibleThreads(threads: HangThread[], blockedOnly: boolean, query: string): HangThread[] {
  const q = query.trim();
  return threads.filter(
    (t) => (!blockedOnly || t.blocked || t.isMain || t.inCycle) && (!q || String(t.tid).includes(q)),
  );
}
