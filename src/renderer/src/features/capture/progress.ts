import type { EventPayloadOf } from '../../../../shared/contract/index';

export type CaptureProgress = EventPayloadOf<'capture:progress'>;

const ORDER = ['starting', 'wct', 'dump', 'manifest', 'etw', 'done'] as const;

/** 0..1 for the progress bar; the ETW window (the long part when asked for) fills its countdown. */
export function progressFraction(p: CaptureProgress | null): number {
  if (!p) return 0;
  if (p.phase === 'done' || p.phase === 'failed') return 1;
  if (p.phase === 'etw' && p.etwTotalSec && p.etwRemainingSec !== null) {
    return 0.6 + 0.4 * (1 - p.etwRemainingSec / p.etwTotalSec);
  }
  const i = ORDER.indexOf(p.phase);
  return Math.max(0, i) / ORDER.length;
}
