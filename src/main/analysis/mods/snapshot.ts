import { createHash } from 'node:crypto';
import type { GamePlugin, XsePlugin } from '../../../shared/domain/crashlog';
import type {
  SetupChange,
  SetupMove,
  SetupProfile,
  SetupUpdate,
  SnapshotBody,
} from '../../../shared/domain/setup';

export type { SnapshotBody };

/**
 * Building, hashing and comparing setup snapshots (the shape is SnapshotBody in the shared
 * domain). Snapshots are stored once per content hash and referenced by incidents, so
 * recording the same setup at every crash costs one row. The diff says what changed.
 */
/** Hash of what the snapshot says (not when or where it was taken). */
export function snapshotHash(body: SnapshotBody): string {
  const h = createHash('sha256');
  h.update(`${body.source}\u0000${body.game ?? ''}\u0000`);
  for (const p of body.plugins) h.update(`p\u0000${p.name}\u0000${p.enabled ? 1 : 0}\n`);
  for (const m of body.mods)
    h.update(
      `m\u0000${m.name}\u0000${m.enabled ? 1 : 0}\u0000${m.priority}\u0000${m.version ?? ''}\u0000${m.nexusId ?? ''}\u0000${m.files.join('|')}\n`,
    );
  for (const d of body.dlls) h.update(`d\u0000${d.name}\u0000${d.version ?? ''}\n`);
  return h.digest('hex').slice(0, 32);
}

export function snapshotFromProfile(
  manager: 'mo2' | 'vortex',
  game: string | null,
  profile: SetupProfile,
): SnapshotBody {
  return {
    source: manager,
    game,
    plugins: profile.plugins.map((p) => ({ name: p.name, enabled: p.enabled })),
    mods: profile.mods
      .filter((m) => m.kind === 'mod' || m.kind === 'overwrite')
      .map((m) => ({
        name: m.name,
        enabled: m.enabled,
        priority: m.priority,
        version: m.version,
        nexusId: m.nexusId,
        files: [...m.files],
      })),
    dlls: [],
  };
}

export function snapshotFromCrashLog(log: {
  game: string | null;
  gamePlugins: readonly Pick<GamePlugin, 'name'>[];
  xsePlugins: readonly Pick<XsePlugin, 'name' | 'version'>[];
}): SnapshotBody | null {
  if (log.gamePlugins.length === 0 && log.xsePlugins.length === 0) return null;
  return {
    source: 'crashlog',
    game: log.game,
    plugins: log.gamePlugins.map((p) => ({ name: p.name, enabled: true })),
    mods: [],
    dlls: log.xsePlugins.map((d) => ({ name: d.name, version: d.version })),
  };
}

export interface SnapshotDiff {
  added: SetupChange[];
  removed: SetupChange[];
  updated: SetupUpdate[];
  moved: SetupMove[];
  notes: string[];
}

const key = (s: string) => s.toLowerCase();

function enabledPlugins(b: SnapshotBody): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of b.plugins) {
    if (!p.enabled || seen.has(key(p.name))) continue;
    seen.add(key(p.name));
    out.push(p.name);
  }
  return out;
}

/**
 * The smallest set of plugins to call "moved": everything outside a longest run of common
 * plugins that kept their relative order (longest increasing subsequence, O(n log n)).
 */
function movedPlugins(before: readonly string[], after: readonly string[]): SetupMove[] {
  const posBefore = new Map(before.map((n, i) => [key(n), i]));
  const common = after
    .map((n, to) => ({ n, to, from: posBefore.get(key(n)) }))
    .filter((x): x is { n: string; to: number; from: number } => x.from !== undefined);
  // Patience sorting over `from`, remembering predecessors to rebuild the run.
  const tails: number[] = [];
  const prev = new Array<number>(common.length).fill(-1);
  for (let i = 0; i < common.length; i++) {
    const v = common[i]!.from;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (common[tails[mid]!]!.from < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) kept.add(i);
  return common.filter((_, i) => !kept.has(i)).map((x) => ({ name: x.n, from: x.from, to: x.to }));
}

function setDiff<T extends { name: string }>(a: readonly T[], b: readonly T[]): T[] {
  const inA = new Set(a.map((x) => key(x.name)));
  return b.filter((x) => !inA.has(key(x.name)));
}

/** Added, removed and (by version) updated entries of one kind, into `out`. */
function diffVersioned(
  out: SnapshotDiff,
  kind: 'mod' | 'dll',
  before: readonly { name: string; version: string | null }[],
  after: readonly { name: string; version: string | null }[],
): void {
  const change = (x: { name: string; version: string | null }): SetupChange => ({
    kind,
    name: x.name,
    version: x.version,
  });
  out.added.push(...setDiff(before, after).map(change));
  out.removed.push(...setDiff(after, before).map(change));
  const old = new Map(before.map((x) => [key(x.name), x]));
  for (const x of after) {
    const o = old.get(key(x.name));
    if (o && (o.version ?? '') !== (x.version ?? ''))
      out.updated.push({ kind, name: x.name, from: o.version, to: x.version });
  }
}

/** What changed from `before` to `after`. Mods and DLLs are compared only when both list them. */
export function diffSnapshots(before: SnapshotBody, after: SnapshotBody): SnapshotDiff {
  const out: SnapshotDiff = { added: [], removed: [], updated: [], moved: [], notes: [] };
  const pa = enabledPlugins(before).map((name) => ({ name, version: null }));
  const pb = enabledPlugins(after).map((name) => ({ name, version: null }));
  if (pa.length && pb.length) {
    const plugin = (x: { name: string }): SetupChange => ({ kind: 'plugin', name: x.name, version: null });
    out.added.push(...setDiff(pa, pb).map(plugin));
    out.removed.push(...setDiff(pb, pa).map(plugin));
    out.moved = movedPlugins(
      pa.map((x) => x.name),
      pb.map((x) => x.name),
    );
  } else out.notes.push(`plugins: ${pa.length ? 'the newer' : 'the older'} snapshot lists none`);

  const ma = before.mods.filter((m) => m.enabled);
  const mb = after.mods.filter((m) => m.enabled);
  if (ma.length && mb.length) diffVersioned(out, 'mod', ma, mb);
  else if (ma.length || mb.length) out.notes.push('mods: only one of the two snapshots lists mods');
  if (before.dlls.length && after.dlls.length) diffVersioned(out, 'dll', before.dlls, after.dlls);
  return out;
}
