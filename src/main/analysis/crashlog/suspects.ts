import type { CrashLogSuspect, FormIdSuspect, ParsedCrashLog } from '../../../shared/domain/crashlog';
import { moduleRole } from '../minidump/module-roles';
import { loadOrderIndex } from './load-order-index';

/**
 * Which mods a crash log points at. Like CLASSIC's "plugin suspects": every plugin and xSE
 * DLL of the log is looked for in the call-stack area (frames, registers, stack) and counted
 * once per line that names it; "Modified by" override chains are skipped because they list
 * every plugin that touched a record, not the one in use.
 */

/** Base game files that appear in nearly every log. */
const IGNORE: Record<string, readonly string[]> = {
  fallout4: [
    'fallout4.esm',
    'fallout4vr.esm',
    'dlccoast.esm',
    'dlcnukaworld.esm',
    'dlcrobot.esm',
    'dlcworkshop01.esm',
    'dlcworkshop02.esm',
    'dlcworkshop03.esm',
    'unofficial fallout 4 patch.esp',
  ],
  skyrim: ['skyrim.esm', 'update.esm', 'dawnguard.esm', 'hearthfires.esm', 'dragonborn.esm'],
};

/** The loggers' own modules and the .NET runtime NSF runs in: always on the stack, never the cause. */
const LOGGER_MODULES = new Set([
  'buffout4.dll',
  'crashlogger.dll',
  'trainwreck.dll',
  'netscriptframework.runtime.dll',
  'clr.dll',
  'clrjit.dll',
  'mscorlib.ni.dll',
]);

const MAX_SUSPECTS = 25;

const SUFFIX = 8;
const EXT = /\.(?:dll|es[pml])/g;
/**
 * EXT on a line as written: it matches exactly where EXT matches the lower-cased line (no
 * character other than these ASCII letters lower-cases to d, l, e, s, p or m), so a line
 * without any extension is skipped before it is lower-cased.
 */
const EXT_ANY_CASE = /\.(?:dll|es[pml])/i;

/**
 * Lines naming each file, as CLASSIC counts them (a name counts once per line, also inside a
 * longer name). Every name ends in its extension, so only the text before each ".dll/.esp/…"
 * in a line is compared: a Nolvus log has ~2,400 plugins and ~3,000 call-stack lines, and only
 * a few dozen names ever share their last SUFFIX characters with such a place. Those places are
 * found first, so the other names are passed over by a hash of their tail, without a copy.
 */
export function countMentions(
  keys: Iterable<string>,
  callStackLines: readonly string[],
): Map<string, number> {
  const lines: string[] = [];
  const ends: number[][] = [];
  const tails = new Set<number>();
  for (const raw of callStackLines) {
    if (!EXT_ANY_CASE.test(raw)) continue;
    const line = raw.toLowerCase();
    if (line.includes('modified by:')) continue;
    const at: number[] = [];
    EXT.lastIndex = 0;
    for (let m = EXT.exec(line); m; m = EXT.exec(line)) {
      const end = m.index + m[0].length;
      at.push(end);
      if (end >= SUFFIX) tails.add(tailHash(line, end));
    }
    lines.push(line);
    ends.push(at);
  }
  const counts = new Map<string, number>();
  if (lines.length === 0) return counts;
  const bySuffix = new Map<string, string[]>();
  const short: string[] = [];
  for (const k of keys) {
    if (k.length < SUFFIX) short.push(k);
    else if (tails.has(tailHash(k, k.length))) {
      const key = k.slice(-SUFFIX);
      const list = bySuffix.get(key);
      if (list) list.push(k);
      else bySuffix.set(key, [k]);
    }
  }
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    let seen: Set<string> | null = null;
    const hit = (k: string, end: number) => {
      if (line.startsWith(k, end - k.length) && !(seen ??= new Set()).has(k)) {
        seen.add(k);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    };
    for (const end of ends[li]!) {
      // A place nearer the line's start than SUFFIX characters can only end a short name.
      if (end >= SUFFIX) for (const k of bySuffix.get(line.slice(end - SUFFIX, end)) ?? []) hit(k, end);
      for (const k of short) hit(k, end);
    }
  }
  return counts;
}

/** A hash of s[end - SUFFIX, end): equal text, equal hash (a collision only adds a candidate). */
function tailHash(s: string, end: number): number {
  let h = 0;
  for (let i = end - SUFFIX; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * `/\.es[pml]$/i.test(name)` given `name.toLowerCase()`, without a regex run per plugin (a
 * Nolvus load order has ~3,000): without the `u` flag, `i` pairs these ASCII letters only with
 * their other ASCII case, and no other character lower-cases to ".", "e", "s", "p", "m" or "l".
 */
export function isPluginFileLowered(low: string): boolean {
  const n = low.length;
  if (
    n < 4 ||
    low.charCodeAt(n - 4) !== 0x2e ||
    low.charCodeAt(n - 3) !== 0x65 ||
    low.charCodeAt(n - 2) !== 0x73
  )
    return false;
  const c = low.charCodeAt(n - 1);
  return c === 0x70 || c === 0x6d || c === 0x6c;
}

export function crashLogSuspects(p: ParsedCrashLog, callStackLines: readonly string[]): CrashLogSuspect[] {
  const ignore = new Set(IGNORE[p.gameFamily ?? ''] ?? []);
  const skip = (key: string) => ignore.has(key) || LOGGER_MODULES.has(key);
  // Plugins are looked up in the load-order index the rule subject shares; DLL names (few) in
  // their own map. A plugin's key ends in .esp/.esm/.esl and a DLL's in .dll, so none is both.
  const plugins = loadOrderIndex(p.gamePlugins);
  const dlls = new Map<string, string>();
  for (const x of p.xsePlugins) if (/\.dll$/i.test(x.name)) dlls.set(x.name.toLowerCase(), x.name);
  if (p.xsePlugins.every((x) => x.kind === 'nsf')) {
    // NSF lists no SKSE plugins separately: take the non-system modules instead.
    for (const m of p.modules)
      if (moduleRole(m.name) === 'other' && /\.dll$/i.test(m.name)) dlls.set(m.name.toLowerCase(), m.name);
  }
  const keys: string[] = [];
  for (let i = 0; i < plugins.low.length; i++) {
    const k = plugins.low[i]!;
    if (isPluginFileLowered(k) && plugins.isFirst(i) && !skip(k)) keys.push(k);
  }
  for (const k of dlls.keys()) if (!skip(k)) keys.push(k);
  const counts = countMentions(keys, callStackLines);
  const faulting = p.exception?.module?.toLowerCase() ?? null;
  const framesOf = new Map<string, number>();
  for (const f of p.callStack) {
    const key = f.module?.toLowerCase();
    if (key !== undefined) framesOf.set(key, (framesOf.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_SUSPECTS)
    .map(([key, hits]) => {
      const dll = dlls.get(key);
      const n = {
        name: dll ?? plugins.nameOf(key)!,
        kind: dll === undefined ? ('plugin' as const) : ('module' as const),
      };
      const frames = framesOf.get(key) ?? 0;
      const reason = [
        key === faulting ? 'faulting module' : null,
        frames > 0 ? `${frames} call-stack frame${frames === 1 ? '' : 's'}` : null,
        `named on ${hits} line${hits === 1 ? '' : 's'} of the call-stack area`,
      ]
        .filter(Boolean)
        .join('; ');
      return { name: n.name, kind: n.kind, hits, reason };
    });
}

/**
 * Form ids in the call-stack area ("Form ID: 0x0001D0E2", "FormID: 0x…", NSF "FormId: …"),
 * not runtime ids (FF…), with the plugin their load-order index points at.
 */
export function formIdSuspects(p: ParsedCrashLog, callStackLines: readonly string[]): FormIdSuspect[] {
  const counts = new Map<string, number>();
  const add = (id: string) => {
    const u = id.toUpperCase();
    if (!u.startsWith('FF')) counts.set(u, (counts.get(u) ?? 0) + 1);
  };
  if (p.logger === 'netscriptframework') {
    for (const o of p.relevantObjects) if (o.formId) add(o.formId);
  } else {
    for (const line of callStackLines) {
      const m = /^\s*Form ?ID:\s*0x([0-9A-Fa-f]{8})\b/.exec(line);
      if (m) add(m[1] ?? '');
    }
  }
  if (counts.size === 0) return [];
  // Only the load-order indexes these ids point at (a Nolvus log lists ~3,000 plugins); a later
  // plugin with the same index wins, as it would in a map of them all.
  const wanted = new Set<string>();
  for (const formId of counts.keys())
    wanted.add(formId.startsWith('FE') ? formId.slice(0, 5) : formId.slice(0, 2));
  // An index's key has its length less any ":" it holds: an index whose key cannot be as long as
  // a wanted one is passed over without the copy (most of a Nolvus list, when no id is FE…).
  const lengths = new Set<number>();
  for (const w of wanted) lengths.add(w.length);
  const byIndex = new Map<string, string>();
  for (const g of p.gamePlugins) {
    if (!g.index) continue;
    const colon = g.index.includes(':');
    if (!lengths.has(colon ? g.index.length - 1 : g.index.length)) continue;
    const key = colon ? g.index.replace(':', '') : g.index;
    if (wanted.has(key)) byIndex.set(key, g.name);
  }
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([formId, hits]) => ({
      formId,
      plugin: formId.startsWith('FE')
        ? (byIndex.get(formId.slice(0, 5)) ?? null)
        : (byIndex.get(formId.slice(0, 2)) ?? null),
      hits,
    }));
}
