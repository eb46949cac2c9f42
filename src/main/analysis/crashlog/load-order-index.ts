import type { GamePlugin } from '../../../shared/domain/crashlog';

/**
 * One lower-cased view of a log's load order, shared by the suspects and the rule subject (a
 * Nolvus load order has ~2,400 names; each used to build its own Maps keyed on them, and those
 * were a fifth of what analysing a crash log allocates, issue 15).
 */
export interface LoadOrderIndex {
  /** The names lower-cased, in load order. */
  readonly low: readonly string[];
  /** Position in `low` of the first entry with this lower-cased name. */
  firstAt(low: string): number | undefined;
  /**
   * The name as written of the last entry with this lower-cased name: what a Map keyed on
   * lower-cased names, set in load order, would hold.
   */
  nameOf(low: string): string | undefined;
}

/**
 * Where a list keeps its index: a hidden (symbol-keyed, non-enumerable) property of the list
 * itself. Not a WeakMap: the index refers to its list, and V8's young-generation collections
 * do not collect such a key-value cycle, so every log's load order (and the decoded text its
 * names are slices of) survived each scavenge until the next full collection (issue 15).
 */
const INDEX = Symbol('loadOrderIndex');
type Indexed = { [INDEX]?: LoadOrderIndex };

/**
 * Made once per parsed log, kept on the list itself; a list that grew since (only while it is
 * being parsed) is indexed again. A list that cannot be extended is indexed on every call.
 */
export function loadOrderIndex(plugins: readonly GamePlugin[]): LoadOrderIndex {
  const holder = plugins as Indexed;
  let index = holder[INDEX];
  if (index === undefined || index.low.length !== plugins.length) {
    index = buildIndex(plugins);
    if (Object.isExtensible(plugins))
      Object.defineProperty(plugins, INDEX, { value: index, configurable: true, writable: true });
  }
  return index;
}

function buildIndex(plugins: readonly GamePlugin[]): LoadOrderIndex {
  const low = plugins.map((g) => g.name.toLowerCase());
  const first = new Map<string, number>();
  // Only names listed twice (case aside) need their last position: real lists have none or few.
  let last: Map<string, number> | null = null;
  for (let i = 0; i < low.length; i++) {
    const k = low[i]!;
    if (first.has(k)) (last ??= new Map()).set(k, i);
    else first.set(k, i);
  }
  return {
    low,
    firstAt: (k) => first.get(k),
    nameOf: (k) => {
      const i = last?.get(k) ?? first.get(k);
      return i === undefined ? undefined : plugins[i]!.name;
    },
  };
}
