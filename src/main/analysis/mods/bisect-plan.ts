/**
 * The guided bisect's arithmetic, without any file access: which suspects a round enables,
 * and what a "good" or "bad" answer leaves. The service (setup/bisect-service.ts) turns a
 * round into a profile folder.
 *
 * Model: exactly one suspect makes the game crash when it is enabled. A test enables the
 * game's own files, the pinned units, every unit already cleared by a good test, and a chosen
 * half of the remaining suspects together with all their masters (a plugin cannot load
 * without them). Bad → the culprit is among the suspects that test enabled; good → it is among
 * the others, and everything the test enabled is cleared. Because masters are pulled in, a
 * "half" is built greedily (most suspicious first) so the enabled suspects stay as close to
 * half as the dependencies allow; that keeps the bisect within ceil(log2 n) + 2 rounds.
 */
export interface BisectUnitDef {
  /** Lower-case name (the unit's key). */
  id: string;
  name: string;
  /** Ids of the units it needs (masters); ids that are not units are ignored (game files). */
  masters: string[];
}

export interface BisectPlanState {
  units: Record<string, BisectUnitDef>;
  /** Suspects still possible, most suspicious first. */
  candidates: string[];
  /** Units cleared by a good test (kept enabled afterwards). */
  cleared: string[];
  /** Pinned units and their masters: always enabled, never suspects. */
  alwaysOn: string[];
  /**
   * Whether a test has crashed yet. A last suspect reached only through good answers was never
   * seen to crash, so it gets one confirming test of its own.
   */
  badSeen?: boolean;
}

export interface PlannedRound {
  /** Suspects the test enables (picked ones and the masters they pulled in). */
  testing: string[];
  /** Of `testing`, those enabled only as masters of a picked one. */
  addedMasters: string[];
  /** Every unit to enable in the test profile. */
  enabled: string[];
}

export function maxRounds(n: number): number {
  return n <= 1 ? 1 : Math.ceil(Math.log2(n)) + 2;
}

/** A unit and every unit it needs, transitively (tolerates master cycles). */
export function closure(
  units: Record<string, BisectUnitDef>,
  id: string,
  into = new Set<string>(),
): Set<string> {
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop()!;
    if (into.has(cur) || !units[cur]) continue;
    into.add(cur);
    for (const m of units[cur]!.masters) if (units[m] && !into.has(m)) stack.push(m);
  }
  return into;
}

/** Every unit that `state.alwaysOn` and the pins need. */
export function alwaysOnClosure(units: Record<string, BisectUnitDef>, pins: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of pins) closure(units, p, out);
  return [...out];
}

export function planRound(state: BisectPlanState): PlannedRound | null {
  const cand = new Set(state.candidates);
  if (cand.size === 0) return null;
  if (cand.size === 1) return state.badSeen ? null : confirmRound(state, state.candidates[0]!);
  const target = Math.ceil(cand.size / 2);
  const suspectsOf = (id: string) => [...closure(state.units, id)].filter((x) => cand.has(x));
  const tested = new Set<string>();
  const picked: string[] = [];
  // Passes until nothing more fits: a unit skipped early may fit once its masters are in.
  for (let changed = true; changed && tested.size < target;) {
    changed = false;
    for (const id of state.candidates) {
      if (tested.has(id)) continue;
      const add = suspectsOf(id).filter((x) => !tested.has(x));
      if (tested.size + add.length > target) continue;
      for (const x of add) tested.add(x);
      picked.push(id);
      changed = true;
      if (tested.size >= target) break;
    }
  }
  if (tested.size === 0) {
    // Every suspect drags in more than half (a dense master web): test the smallest group
    // that still leaves something out, so the round makes progress.
    let best: string[] | null = null;
    for (const id of state.candidates) {
      const s = suspectsOf(id);
      if (s.length < cand.size && (!best || s.length < best.length)) best = s;
    }
    if (!best) return null;
    for (const x of best) tested.add(x);
    picked.push(best[0]!);
  }
  const pickedSet = new Set(picked);
  const enabled = new Set<string>([...state.alwaysOn, ...state.cleared]);
  for (const id of picked) closure(state.units, id, enabled);
  const testing = state.candidates.filter((x) => tested.has(x));
  return {
    testing,
    addedMasters: testing.filter((x) => !pickedSet.has(x)),
    enabled: Object.keys(state.units).filter((x) => enabled.has(x)),
  };
}

function confirmRound(state: BisectPlanState, id: string): PlannedRound {
  const enabled = new Set<string>([...state.alwaysOn, ...state.cleared]);
  closure(state.units, id, enabled);
  return { testing: [id], addedMasters: [], enabled: Object.keys(state.units).filter((x) => enabled.has(x)) };
}

/** The state after a round's answer. */
export function applyAnswer(
  state: BisectPlanState,
  round: PlannedRound,
  answer: 'good' | 'bad',
): BisectPlanState {
  const tested = new Set(round.testing);
  if (answer === 'bad')
    return { ...state, badSeen: true, candidates: state.candidates.filter((x) => tested.has(x)) };
  const cleared = new Set([...state.cleared, ...round.enabled.filter((x) => !state.alwaysOn.includes(x))]);
  return {
    ...state,
    candidates: state.candidates.filter((x) => !tested.has(x)),
    cleared: [...cleared],
  };
}

/** Whether every enabled unit's masters are enabled too (what each written profile must satisfy). */
export function mastersSatisfied(units: Record<string, BisectUnitDef>, enabled: Iterable<string>): string[] {
  const on = new Set(enabled);
  const missing: string[] = [];
  for (const id of on)
    for (const m of units[id]?.masters ?? []) if (units[m] && !on.has(m)) missing.push(`${id} needs ${m}`);
  return missing;
}
