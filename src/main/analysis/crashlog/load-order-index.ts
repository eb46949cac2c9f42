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
  /** Whether entry `i` is the first with its lower-cased name (`firstAt(low[i]) === i`). */
  isFirst(i: number): boolean;
  /**
   * The name as written of the last entry with this lower-cased name: what a Map keyed on
   * lower-cased names, set in load order, would hold.
   */
  nameOf(low: string): string | undefined;
  /** Each name once (as `nameOf` gives it), in the order of its first entry. */
  names(): readonly string[];
  /** `names()` joined with "\n", and that text lower-cased (made on first use). */
  joined(): JoinedNames;
}

export interface JoinedNames {
  readonly text: string;
  lower(): string;
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
    index = new Index(plugins);
    if (Object.isExtensible(plugins))
      Object.defineProperty(plugins, INDEX, { value: index, configurable: true, writable: true });
  }
  return index;
}

/**
 * The names joined with "\n" and that text lower-cased once, split back into the lower-cased
 * names: one call instead of one per name, which on a Nolvus list cost more than twice as much
 * (issue 15). Lower-casing is per character except for a final sigma, whose context a line
 * break (neither cased nor case-ignorable) ends, so each piece is its name lower-cased. Null
 * when a name itself holds a "\n" (then the pieces are not the names).
 */
function lowerTogether(
  plugins: readonly GamePlugin[],
): { text: string; lowText: string; low: string[] } | null {
  if (plugins.length === 0) return null;
  let text = plugins[0]!.name;
  for (let i = 1; i < plugins.length; i++) text += `\n${plugins[i]!.name}`;
  const lowText = text.toLowerCase();
  const low = lowText.split('\n');
  return low.length === plugins.length ? { text, lowText, low } : null;
}

const NO_NAMES: JoinedNames = { text: '', lower: () => '' };

/**
 * A class rather than closures over the list (see the symbol property above): the index is made
 * for every log, and everything below is read lazily from these fields.
 */
class Index implements LoadOrderIndex {
  readonly low: readonly string[];
  private readonly first = new Map<string, number>();
  /** Last positions of names listed twice (case aside); null when none is (real lists: none). */
  private readonly last: Map<string, number> | null = null;
  /** The names as written joined with "\n" and lower-cased, when made by lowerTogether. */
  private readonly together: { text: string; lowText: string } | null;
  private list: readonly string[] | null = null;
  private joinedNames: JoinedNames | null = null;

  constructor(private readonly plugins: readonly GamePlugin[]) {
    const t = lowerTogether(plugins);
    const low = t?.low ?? plugins.map((g) => g.name.toLowerCase());
    this.together = t;
    this.low = low;
    const first = this.first;
    let last: Map<string, number> | null = null;
    // One set per name: when the Map then holds as many names as the list, none is listed twice
    // and each was set once, at its only position (real lists). Only otherwise is the list read
    // again to keep first and last positions apart (a has and a set per name cost ~1.5x, issue 15).
    for (let i = 0; i < low.length; i++) first.set(low[i]!, i);
    if (first.size !== low.length) {
      first.clear();
      for (let i = 0; i < low.length; i++) {
        const k = low[i]!;
        if (first.has(k)) (last ??= new Map()).set(k, i);
        else first.set(k, i);
      }
    }
    this.last = last;
  }

  firstAt(k: string): number | undefined {
    return this.first.get(k);
  }

  isFirst(i: number): boolean {
    return this.last === null || this.first.get(this.low[i]!) === i;
  }

  nameOf(k: string): string | undefined {
    const i = this.last?.get(k) ?? this.first.get(k);
    return i === undefined ? undefined : this.plugins[i]!.name;
  }

  names(): readonly string[] {
    if (this.list === null) {
      const { low, plugins } = this;
      const out: string[] = [];
      // Without a name listed twice every entry is its name's first and last.
      if (this.last === null) for (const g of plugins) out.push(g.name);
      else for (let i = 0; i < low.length; i++) if (this.isFirst(i)) out.push(this.nameOf(low[i]!)!);
      this.list = out;
    }
    return this.list;
  }

  joined(): JoinedNames {
    if (this.joinedNames === null) {
      const t = this.together;
      if (t !== null && this.last === null) {
        // Every name once, in load order: the text lowerTogether already joined and lower-cased.
        this.joinedNames = { text: t.text, lower: () => t.lowText };
      } else if (this.low.length === 0) {
        this.joinedNames = NO_NAMES;
      } else {
        const text = this.names().join('\n');
        let lower: string | null = null;
        this.joinedNames = { text, lower: () => (lower ??= text.toLowerCase()) };
      }
    }
    return this.joinedNames;
  }
}
