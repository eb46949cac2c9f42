import { describe, expect, it } from 'vitest';
import {
  alwaysOnClosure,
  applyAnswer,
  mastersSatisfied,
  maxRounds,
  planRound,
  type BisectPlanState,
  type BisectUnitDef,
} from '../../../src/main/analysis/mods/bisect-plan';
import { mulberry32 } from '../../helpers/prng';

/** Random master graphs (synthetic: acyclic, each plugin's masters load before it). */
function randomUnits(n: number, seed: number, density: number): Record<string, BisectUnitDef> {
  const rnd = mulberry32(seed);
  const units: Record<string, BisectUnitDef> = {};
  for (let i = 0; i < n; i++) {
    const masters: string[] = [];
    for (let j = 0; j < i; j++) if (rnd() < density) masters.push(`p${j}`);
    units[`p${i}`] = { id: `p${i}`, name: `P${i}.esp`, masters };
  }
  return units;
}

function run(units: Record<string, BisectUnitDef>, culprit: string, pins: string[] = [], order?: string[]) {
  const alwaysOn = alwaysOnClosure(units, pins);
  let state: BisectPlanState = {
    units,
    candidates: (order ?? Object.keys(units)).filter((x) => !alwaysOn.includes(x)),
    cleared: [],
    alwaysOn,
  };
  let rounds = 0;
  const broken: string[] = [];
  for (;;) {
    const r = planRound(state);
    if (!r) break;
    rounds++;
    broken.push(...mastersSatisfied(units, r.enabled));
    for (const p of alwaysOn) if (!r.enabled.includes(p)) broken.push(`pin ${p} off`);
    state = applyAnswer(state, r, r.enabled.includes(culprit) ? 'bad' : 'good');
    if (rounds > 50) break;
  }
  return { rounds, left: state.candidates, broken };
}

describe('bisect planning', () => {
  it('64 plugins with master dependencies: every planted culprit found within ceil(log2 64) + 2 = 8 rounds', () => {
    expect(maxRounds(64)).toBe(8);
    for (const [seed, density] of [
      [1, 0.02],
      [2, 0.08],
      [3, 0.3],
      [4, 0.7],
    ] as const) {
      const units = randomUnits(64, seed, density);
      let worst = 0;
      for (let k = 0; k < 64; k++) {
        const r = run(units, `p${k}`);
        expect(r.left).toEqual([`p${k}`]);
        expect(r.broken).toEqual([]);
        worst = Math.max(worst, r.rounds);
      }
      expect(worst).toBeLessThanOrEqual(8);
    }
  });

  it('a chain, a star patch and a hub keep within the bound', () => {
    const chain: Record<string, BisectUnitDef> = {};
    for (let i = 0; i < 64; i++)
      chain[`p${i}`] = { id: `p${i}`, name: `p${i}`, masters: i ? [`p${i - 1}`] : [] };
    const star: Record<string, BisectUnitDef> = {};
    for (let i = 0; i < 63; i++) star[`p${i}`] = { id: `p${i}`, name: `p${i}`, masters: [] };
    star.patch = { id: 'patch', name: 'patch', masters: Object.keys(star) };
    const hub: Record<string, BisectUnitDef> = { hub: { id: 'hub', name: 'hub', masters: [] } };
    for (let i = 0; i < 63; i++) hub[`p${i}`] = { id: `p${i}`, name: `p${i}`, masters: ['hub'] };
    for (const units of [chain, star, hub])
      for (const culprit of Object.keys(units)) {
        const r = run(units, culprit);
        expect(r.left).toEqual([culprit]);
        expect(r.rounds).toBeLessThanOrEqual(8);
        expect(r.broken).toEqual([]);
      }
  });

  it('pins and their masters stay enabled and are never suspects', () => {
    const units = randomUnits(32, 9, 0.1);
    const r = run(units, 'p20', ['p31']);
    expect(r.broken).toEqual([]);
    expect(r.left).toEqual(['p20']);
  });

  it('a culprit outside the suspects ends with none left', () => {
    const units = randomUnits(16, 5, 0.1);
    const r = run(units, 'not-a-unit');
    expect(r.left).toEqual([]);
    expect(r.rounds).toBeLessThanOrEqual(maxRounds(16));
  });
});
