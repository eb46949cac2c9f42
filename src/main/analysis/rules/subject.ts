import type { GamePlugin, ParsedCrashLog } from '../../../shared/domain/crashlog';
import type { DumpAnalysis } from '../../../shared/domain/minidump';
import type { GameFamily, LogSection } from '../../../shared/domain/rules';
import { loadOrderIndex, type JoinedNames } from '../crashlog/load-order-index';
import { crashLogBucket } from '../signature/sources';
import { gameFamilyOfExe, type LogRanges } from '../../formats/crashlog/common';

/**
 * What rules look at, the same shape for a crash log and a minidump, so one rule about a
 * faulting module or a module being loaded works on both. Text fields are searched as-is;
 * their lower-case copies are made once per subject.
 */
export interface RuleSubject {
  source: 'crashlog' | 'minidump';
  logger: string;
  loggerVersion: string | null;
  game: GameFamily | null;
  gameVersion: string | null;
  /** The exception line (crash logs) or an equivalent built from the dump's exception. */
  mainError: string;
  exceptionName: string | null;
  exceptionCode: number | null;
  faultingModule: string | null;
  faultingOffset: string | null;
  frames: { module: string | null; symbol: string | null; addressId: string | null; text: string }[];
  /** The parts the input actually has; rules needing a missing part are not run. */
  sections: ReadonlySet<LogSection>;
  /** Call-stack area as text: frames, registers and stack slots with their annotations. */
  callStack: string;
  relevantObjects: string;
  /** The whole log (for a dump: the call stack plus the module list). */
  text: string;
  /**
   * The decoded log before it was split into lines, when `text` is built from the lines: every
   * run of characters without a line break that `text` holds is in it too, so a rule whose
   * literal is absent here need not build `text` at all.
   */
  rawText?: string | null;
  /**
   * The lines `text` is (joined with "\n"), when none of them holds a line terminator (so `^`
   * under the `m` flag matches only at their starts); null or absent when that is not known.
   * Lets a `^`-anchored whole-log rule be judged without building `text` (line-absence.ts).
   */
  textLines?: readonly string[] | null;
  /** Loaded modules and xSE plugins by lower-case name, with version when known. */
  modules: Map<string, { name: string; version: string | null }>;
  /** Game plugins by lower-case name. */
  plugins: LoadOrderView;
  pluginsListed: boolean;
  pluginTotals: { total: number; regular: number; light: number };
  /** Adjacent .esp pairs in the load order and how many are in alphabetical order. */
  espOrder: { pairs: number; ascending: number };
  settings: Record<string, Record<string, string>>;
  /** "used/total" memory figures from the logger's system specs, in GB. */
  memory: Partial<Record<'ram' | 'vram' | 'pagefile', { used: number; total: number }>>;
  lower: Map<string, string>;
  /** The stable bucket (docs/SIGNATURES.md), for rules the player confirmed. */
  bucket?: string | null;
  /**
   * The probable cause's subject, when the subject is built after the cause model ran; null
   * during an analyzer's own rule pass (culprit rules are matched per incident: causes store).
   */
  culprit?: string | null;
}

/** The load order as rules read it, by lower-cased name. */
export interface LoadOrderView {
  /** The plugin's name as written (of the last entry, when a name is listed twice). */
  name(low: string): string | undefined;
  /**
   * The first lower-cased name in load order that `test` accepts, with its entry's position
   * (from 0); a name listed twice is at its first entry.
   */
  first(test: (low: string) => boolean): { low: string; at: number } | null;
  /** Each name once (as `name` gives it), in the order of its first entry. */
  names(): readonly string[];
  /** `names()` one per line (joined with "\n"), and that text lower-cased (made on first use). */
  joined(): JoinedNames;
}

const NO_NAMES: JoinedNames = { text: '', lower: () => '' };
const NO_PLUGINS: LoadOrderView = {
  name: () => undefined,
  first: () => null,
  names: () => [],
  joined: () => NO_NAMES,
};

export function lowerOf(
  s: RuleSubject,
  field: 'mainError' | 'callStack' | 'relevantObjects' | 'text',
): string {
  let v = s.lower.get(field);
  if (v === undefined) {
    v = s[field].toLowerCase();
    s.lower.set(field, v);
  }
  return v;
}

/** `lowNames`: the load order's names, lower-cased. */
function espOrder(lowNames: readonly string[]): RuleSubject['espOrder'] {
  let prev: string | null = null;
  let pairs = 0;
  let ascending = 0;
  for (const low of lowNames) {
    if (!low.endsWith('.esp')) continue;
    if (prev !== null) {
      pairs++;
      if (prev <= low) ascending++;
    }
    prev = low;
  }
  return { pairs, ascending };
}

/** The whole-log text of a crash log is its first 200,000 lines at most. */
const MAX_TEXT_LINES = 200_000;

function slice(lines: readonly string[], range: [number, number] | null): string {
  if (!range) return '';
  // Joined as written: the matchers look for substrings, so trimming each line would only cost.
  return lines.slice(range[0], Math.min(range[1], range[0] + 200_000)).join('\n');
}

/**
 * `joined`: `lines.join('\n')` when the caller already has it (CrashLogParse.joined), or a
 * function giving it on first use; `decoded`: the text the lines were split from
 * (CrashLogParse.text).
 */
export function subjectFromCrashLog(
  p: ParsedCrashLog,
  lines: readonly string[],
  ranges: LogRanges,
  joined: string | null | (() => string | null) = null,
  decoded: string | null = null,
): RuleSubject {
  return new CrashLogSubject(p, lines, ranges, joined, decoded);
}

/**
 * A class, not an object literal with getters: a literal's getters are new closures on every
 * call, and V8 keeps each such object's accessors where its young-generation collections treat
 * them as live, so every log's parse (which those closures hold) was copied and promoted by
 * each scavenge until the next full collection (issue 15; GC was a quarter of the analysis).
 */
class CrashLogSubject implements RuleSubject {
  readonly source = 'crashlog';
  readonly logger: string;
  readonly loggerVersion: string | null;
  readonly game: GameFamily | null;
  readonly gameVersion: string | null;
  readonly mainError: string;
  readonly exceptionName: string | null;
  readonly exceptionCode: number | null;
  readonly faultingModule: string | null;
  readonly faultingOffset: string | null;
  readonly sections: ReadonlySet<LogSection>;
  readonly rawText: string | null;
  readonly modules = new Map<string, { name: string; version: string | null }>();
  readonly plugins: LoadOrderView;
  readonly pluginsListed: boolean;
  readonly pluginTotals: RuleSubject['pluginTotals'];
  readonly settings: Record<string, Record<string, string>>;
  readonly memory: RuleSubject['memory'];
  readonly lower = new Map<string, string>();
  // The text views are built on first use: most rules never read the whole log.
  private callStackText: string | null = null;
  private relevantText: string | null = null;
  private wholeText: string | null = null;
  private lineView: readonly string[] | null | undefined = undefined;
  private frameView: RuleSubject['frames'] | null = null;
  private esp: RuleSubject['espOrder'] | null = null;
  private bucketKey: string | null = null;

  constructor(
    private readonly p: ParsedCrashLog,
    private readonly lines: readonly string[],
    private readonly ranges: LogRanges,
    private readonly joined: string | null | (() => string | null),
    decoded: string | null,
  ) {
    for (const m of p.modules) this.modules.set(m.name.toLowerCase(), { name: m.name, version: m.version });
    for (const x of p.xsePlugins) {
      const key = x.name.toLowerCase();
      const prev = this.modules.get(key);
      this.modules.set(key, { name: x.name, version: x.version ?? prev?.version ?? null });
    }
    this.logger = p.logger;
    this.loggerVersion = p.loggerVersion;
    this.game = p.gameFamily ?? inferredGame(p);
    this.gameVersion = p.gameVersion;
    this.mainError = p.exception?.raw ?? '';
    this.exceptionName = p.exception?.name ?? null;
    this.exceptionCode = p.exception?.code ?? null;
    this.faultingModule = p.exception?.module ?? null;
    this.faultingOffset = p.exception?.offset ?? null;
    this.sections = crashLogSections(p);
    this.rawText = decoded;
    this.plugins = new LoadOrderOf(p.gamePlugins);
    this.pluginsListed = p.pluginsListed;
    const light = p.gamePlugins.filter((g) => g.light).length;
    // The logger's own count line wins when it says more (a list past the FE slot's 4096 entries).
    this.pluginTotals = {
      total: Math.max(p.gamePlugins.length, p.pluginCounts?.total ?? 0),
      regular: Math.max(p.gamePlugins.length - light, p.pluginCounts?.regular ?? 0),
      light: Math.max(light, p.pluginCounts?.light ?? 0),
    };
    this.settings = p.settings;
    this.memory = memoryOf(p.system);
  }

  // Only frame rules read these: made on first use.
  get frames(): RuleSubject['frames'] {
    return (this.frameView ??= this.p.callStack.map((f) => ({
      module: f.module,
      symbol: f.symbol,
      addressId: f.addressId ? (f.addressId.split('+')[0] ?? null) : null,
      text: f.text,
    })));
  }

  get callStack(): string {
    return (this.callStackText ??= slice(this.lines, this.ranges.callStack));
  }

  get relevantObjects(): string {
    return (this.relevantText ??=
      this.ranges.relevantObjects === this.ranges.callStack
        ? this.callStack
        : slice(this.lines, this.ranges.relevantObjects));
  }

  get text(): string {
    const { lines, joined } = this;
    return (this.wholeText ??=
      lines.length > MAX_TEXT_LINES
        ? lines.slice(0, MAX_TEXT_LINES).join('\n')
        : ((typeof joined === 'function' ? joined() : joined) ?? lines.join('\n')));
  }

  get textLines(): readonly string[] | null {
    // splitLines breaks at every "\r" and "\n" and unwrapping only removes characters, so a
    // line can hold another terminator only when the decoded text does (`joined`, when given,
    // is these lines joined: CrashLogParse.joined).
    if (this.lineView === undefined) {
      const decoded = this.rawText;
      const { lines } = this;
      this.lineView =
        decoded === null || decoded.includes('\u2028') || decoded.includes('\u2029')
          ? null
          : lines.length > MAX_TEXT_LINES
            ? lines.slice(0, MAX_TEXT_LINES)
            : lines;
    }
    return this.lineView;
  }

  get espOrder(): RuleSubject['espOrder'] {
    return (this.esp ??= espOrder(loadOrderIndex(this.p.gamePlugins).low));
  }

  get bucket(): string {
    return (this.bucketKey ??= crashLogBucket(this.p).key);
  }
}

/** The load order's view, shared with the suspects (crashlog/suspects.ts), indexed on first use. */
class LoadOrderOf implements LoadOrderView {
  constructor(private readonly plugins: readonly GamePlugin[]) {}

  name(low: string): string | undefined {
    return loadOrderIndex(this.plugins).nameOf(low);
  }

  first(test: (low: string) => boolean): { low: string; at: number } | null {
    // The first entry that passes is its name's first entry: an earlier one would pass too.
    const { low } = loadOrderIndex(this.plugins);
    for (let i = 0; i < low.length; i++)
      if (test(low[i]!)) return { low: low[i]!, at: this.plugins[i]!.order };
    return null;
  }

  names(): readonly string[] {
    return loadOrderIndex(this.plugins).names();
  }

  joined(): JoinedNames {
    return loadOrderIndex(this.plugins).joined();
  }
}

const MEMORY_KEYS: Record<string, 'ram' | 'vram' | 'pagefile'> = {
  'physical memory': 'ram',
  ram: 'ram',
  'gpu memory': 'vram',
  'page file': 'pagefile',
};

/** "14.75 GB/15.90 GB" (Crash Logger, Buffout 4), "2.95/3.37 GB", "34.05 GiB/63.12 GiB" (Trainwreck). */
export function memoryOf(system: Record<string, string>): RuleSubject['memory'] {
  const out: RuleSubject['memory'] = {};
  for (const [k, v] of Object.entries(system)) {
    const kind = MEMORY_KEYS[k.trim().toLowerCase()];
    const m = /([\d.]+)\s*(?:GB|GiB)?\s*\/\s*([\d.]+)\s*(?:GB|GiB)/i.exec(v);
    if (!kind || !m) continue;
    const used = Number(m[1]);
    const total = Number(m[2]);
    if (Number.isFinite(used) && Number.isFinite(total) && total > 0) out[kind] = { used, total };
  }
  return out;
}

/**
 * The game of a paste that lost its header: NetScriptFramework and Trainwreck only exist for
 * Skyrim; otherwise the game's own exe, script-extender DLLs or base masters in what is left.
 */
export function inferredGame(p: ParsedCrashLog): GameFamily | null {
  if (p.logger === 'netscriptframework' || p.logger === 'trainwreck') return 'skyrim';
  const names = [
    p.exception?.module,
    ...p.callStack.map((f) => f.module),
    ...p.modules.map((m) => m.name),
    ...p.gamePlugins.map((g) => g.name),
  ];
  for (const n of names) {
    const low = (n ?? '').toLowerCase();
    if (/^(skyrimse|skyrimvr)\.exe$|^sksevr?(64)?_|^skyrim\.esm$/.test(low)) return 'skyrim';
    if (/^fallout4(vr)?\.exe$|^f4se(vr)?_|^fallout4\.esm$/.test(low)) return 'fallout4';
  }
  return null;
}

/** What a parsed crash log contains: a paste cut before the module list has no 'modules'. */
export function crashLogSections(p: ParsedCrashLog): Set<LogSection> {
  const out = new Set<LogSection>();
  if (p.exception) out.add('exception');
  if (p.callStack.length) out.add('stack');
  if (p.registers.length || p.stack.length) out.add('registers');
  if (p.relevantObjects.length) out.add('objects');
  if (p.modules.length || p.xsePlugins.length) out.add('modules');
  if (p.pluginsListed && p.gamePlugins.length) out.add('plugins');
  if (Object.keys(p.settings).length) out.add('settings');
  if (Object.keys(p.system).length) out.add('system');
  return out;
}

/** A dump has no load order or logger settings; rules on those simply do not match. */
export function subjectFromDump(a: DumpAnalysis): RuleSubject {
  const modules = new Map<string, { name: string; version: string | null }>();
  for (const m of a.modules) modules.set(m.name.toLowerCase(), { name: m.name, version: m.version });
  const exe = a.modules.find((m) => gameFamilyOfExe(m.name));
  const ex = a.exception;
  const offset = ex?.faultingOffset ? ex.faultingOffset.replace(/^0x/i, '').toUpperCase() : null;
  const mainError = ex
    ? `Unhandled exception "${ex.name ?? ex.code}" at ${ex.crashAddress}${ex.faultingModule ? ` ${ex.faultingModule}+${offset ?? ''}` : ''}`
    : '';
  const frames = a.stack.map((f) => ({
    module: f.module,
    symbol: f.function,
    addressId: null,
    text: `[${f.index}] ${f.ip} ${f.module ? `${f.module}+${(f.moduleOffset ?? '').replace(/^0x/i, '')}` : ''} ${f.function ?? ''}`.trim(),
  }));
  const callStack = frames.map((f) => f.text).join('\n');
  return {
    source: 'minidump',
    logger: 'minidump',
    loggerVersion: null,
    game: exe ? gameFamilyOfExe(exe.name) : null,
    gameVersion: exe?.version ?? null,
    mainError,
    exceptionName: ex?.name ?? null,
    exceptionCode: ex ? Number.parseInt(ex.code, 16) : null,
    faultingModule: ex?.faultingModule ?? null,
    faultingOffset: offset,
    frames,
    sections: new Set<LogSection>([
      ...(ex ? (['exception'] as const) : []),
      ...(frames.length ? (['stack'] as const) : []),
      ...(a.modules.length ? (['modules'] as const) : []),
    ]),
    callStack,
    relevantObjects: '',
    text: `${mainError}\n${callStack}\n${a.modules.map((m) => m.name).join('\n')}`,
    modules,
    plugins: NO_PLUGINS,
    pluginsListed: false,
    pluginTotals: { total: 0, regular: 0, light: 0 },
    espOrder: { pairs: 0, ascending: 0 },
    settings: {},
    memory: {},
    lower: new Map(),
    bucket: a.exception ? a.signature : null,
  };
}
