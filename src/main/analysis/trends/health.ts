import type { HealthFactor, InstallHealth } from '../../../shared/domain/trends';

/**
 * Install health, 0..100: 100 minus five penalties, each capped, together at most 100.
 * Only crashes and hangs count (manual captures are a tester's choice, not a symptom).
 *
 *   crashes  35 × min(1, crashes a day over the last 7 days ÷ 2)      — 2 a day or more: all 35
 *   hangs    15 × min(1, hangs a day over the last 7 days ÷ 1)        — 1 a day or more: all 15
 *   recency  20 × max(0, 1 − days since the last crash or hang ÷ 14)  — today: 20, two weeks: 0
 *   repeats  15 × share of the last 30 days' crashes and hangs whose bucket came back
 *                 (its signature seen 2+ times in those 30 days): a repeat is a real, fixable bug
 *   trend    15 × max(0, (last 7 days − the 7 before) ÷ max(last 7 days, 1)) — only a rise costs
 *
 * Grades: 85+ good, 65+ fair, 40+ poor, below bad. Direction compares the same two weeks:
 * rising / falling when they differ by 2 or more and by a quarter or more, else steady.
 */
export const HEALTH_FORMULA =
  'score = 100 − (crashes + hangs + recency + repeats + trend); each penalty is capped as shown';

export interface HealthInput {
  crashes7: number;
  hangs7: number;
  /** Crashes + hangs in days 8..14 before now. */
  previous7: number;
  /** Days since the newest crash or hang; null when there is none. */
  daysSinceLast: number | null;
  /** Crashes + hangs in the last 30 days, and how many of them are in a repeating bucket. */
  recent30: number;
  repeating30: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function installHealth(h: HealthInput): InstallHealth {
  const last7 = h.crashes7 + h.hangs7;
  const crashRate = h.crashes7 / 7;
  const hangRate = h.hangs7 / 7;
  const rise = Math.max(0, (last7 - h.previous7) / Math.max(last7, 1));
  const factors: HealthFactor[] = [
    {
      id: 'crashes',
      label: 'Crash frequency',
      value: `${plural(h.crashes7, 'crash', 'crashes')} in 7 days (${crashRate.toFixed(2)} a day)`,
      penalty: round1(35 * Math.min(1, crashRate / 2)),
      max: 35,
      rule: '35 × min(1, crashes a day ÷ 2)',
    },
    {
      id: 'hangs',
      label: 'Hang frequency',
      value: `${plural(h.hangs7, 'hang', 'hangs')} in 7 days (${hangRate.toFixed(2)} a day)`,
      penalty: round1(15 * Math.min(1, hangRate)),
      max: 15,
      rule: '15 × min(1, hangs a day ÷ 1)',
    },
    {
      id: 'recency',
      label: 'Recency',
      value:
        h.daysSinceLast === null
          ? 'no crash or hang indexed'
          : `last crash or hang ${h.daysSinceLast < 1 ? 'today' : `${Math.floor(h.daysSinceLast)} day(s) ago`}`,
      penalty: h.daysSinceLast === null ? 0 : round1(20 * Math.max(0, 1 - h.daysSinceLast / 14)),
      max: 20,
      rule: '20 × max(0, 1 − days since the last one ÷ 14)',
    },
    {
      id: 'repeats',
      label: 'Repeat buckets',
      value: `${h.repeating30} of ${h.recent30} in 30 days are in a bucket seen twice or more`,
      penalty: h.recent30 === 0 ? 0 : round1((15 * h.repeating30) / h.recent30),
      max: 15,
      rule: '15 × share of the last 30 days in a repeating bucket',
    },
    {
      id: 'trend',
      label: 'Trend',
      value: `${last7} in the last 7 days vs ${h.previous7} in the 7 before`,
      penalty: round1(15 * rise),
      max: 15,
      rule: '15 × max(0, (last 7 − previous 7) ÷ last 7)',
    },
  ];
  const total = factors.reduce((n, f) => n + f.penalty, 0);
  const score = Math.max(0, Math.min(100, Math.round(100 - total)));
  const diff = last7 - h.previous7;
  const big = Math.abs(diff) >= 2 && Math.abs(diff) >= 0.25 * Math.max(last7, h.previous7);
  return {
    score,
    grade: score >= 85 ? 'good' : score >= 65 ? 'fair' : score >= 40 ? 'poor' : 'bad',
    direction: !big ? 'steady' : diff > 0 ? 'rising' : 'falling',
    factors,
    formula: HEALTH_FORMULA,
  };
}
