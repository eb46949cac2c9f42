import type { GamePlugin } from '../../../shared/domain/crashlog';

const cache = new WeakMap<readonly GamePlugin[], readonly string[]>();

/**
 * The load order's names lower-cased, made once per parsed log: the suspects and the rule
 * subject both key on them, and a Nolvus load order has ~2,400 names. Keyed on the list itself;
 * a list that grew since (only while it is being parsed) is lower-cased again.
 */
export function lowerPluginNames(plugins: readonly GamePlugin[]): readonly string[] {
  let low = cache.get(plugins);
  if (low === undefined || low.length !== plugins.length) {
    low = plugins.map((g) => g.name.toLowerCase());
    cache.set(plugins, low);
  }
  return low;
}
