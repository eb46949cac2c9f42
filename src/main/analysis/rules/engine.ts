import type { Finding } from '../../../shared/domain/finding';
import { sortFindings } from '../../../shared/domain/severity';
import type { Condition, LogSection, NameMatch, Rule, TextMatch } from '../../../shared/domain/rules';
import { lineAbsence } from './line-absence';
import { NeedleSet } from './needle-set';
import { requiredLiteral } from './regex-literal';
import { lowerOf, type RuleSubject } from './subject';
import { describeVersionRange, inNumberRange, inVersionRange } from './versions';

/**
 * Known-issue rules compiled once into closures (regexes built at load, not per log), then
 * run against a RuleSubject. A matching rule yields a Finding whose evidence lines quote
 * what matched, so the user can check the claim against the log.
 */

/** Evidence lines when the condition holds, null when it does not. */
type Test = (s: RuleSubject) => string[] | null;

export interface CompiledRule {
  rule: Rule;
  test: Test;
  /** Log parts the rule cannot be judged without (declared plus implied by its conditions). */
  requires: LogSection[];
}

const MAX_EVIDENCE = 12;

function clip(s: string, n = 160): string {
  if (s.length > 4 * n) {
    // A long line (a relevant-objects entry can run to kilobytes): normalize only its head.
    // Whitespace runs collapse alike in the head and the whole, so once the head yields n + 2
    // characters the whole is longer than n and starts with the same n - 1.
    const head = s
      .slice(0, 4 * n)
      .replace(/\s+/g, ' ')
      .trimStart();
    if (head.length >= n + 2) return `${head.slice(0, n - 1)}…`;
  }
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/** The line of `text` around `index`, for evidence. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const endNl = text.indexOf('\n', index);
  return clip(text.slice(start, endNl < 0 ? text.length : endNl));
}

interface TextHit {
  index: number;
  count: number;
}

/** `lower` gives the lower-cased text, made on first use: a regex or case-sensitive match never asks. */
type Finder = (text: string, lower: () => string) => TextHit | null;

/**
 * A text matcher whose regexes are built on first use: an `analyze` run reaches a fraction of
 * the ~240 bundled rules (the other game's are skipped), and building them all cost ~8 ms of
 * its start (issue 15). `gate` is true where the text may hold a match (always, when the
 * matcher has no gate). Rule files from users are checked by checkRuleRegexes when loaded.
 */
function compileText(m: TextMatch): { find: Finder; label: string; gate: (text: string) => boolean } {
  if (m.equals !== undefined) {
    const want = m.caseSensitive ? m.equals : m.equals.toLowerCase();
    return {
      label: `"${m.equals}"`,
      find: (text, lower) =>
        (m.caseSensitive ? text : lower()).trim() === want ? { index: 0, count: 1 } : null,
      gate: () => true,
    };
  }
  let built: ReturnType<typeof buildText> | null = null;
  const plan = () => (built ??= buildText(m));
  return {
    label: m.regex !== undefined ? `/${m.regex}/` : `"${m.contains ?? ''}"`,
    find: (text, lower) => plan().find(text, lower),
    gate: (text) => {
      const g = plan().gate;
      return g === undefined || g(text);
    },
  };
}

/**
 * `gate`, when there is one, is false for a text that certainly holds no match: it looks only
 * for a run of characters without line breaks every match contains (see RuleSubject.rawText).
 */
function buildText(m: TextMatch): { find: Finder; gate?: (text: string) => boolean } {
  const need = m.minCount ?? 1;
  if (m.regex !== undefined) {
    const re = new RegExp(m.regex, m.caseSensitive ? 'gm' : 'gim');
    // A regex over a whole log costs far more than a search for the text every match contains.
    const lit = requiredLiteral(m.regex);
    const gate = lit === null || m.caseSensitive ? null : caselessGate(lit.toLowerCase());
    const mayMatch =
      lit === null || (!m.caseSensitive && gate === null)
        ? undefined
        : (text: string) => (gate === null ? text.includes(lit) : gate.test(text));
    return {
      find: (text) => (mayMatch && !mayMatch(text) ? null : scanHits(re, text, need)),
      ...(mayMatch && !/[\r\n]/.test(lit!) ? { gate: mayMatch } : {}),
    };
  }
  const needle = m.contains ?? '';
  const low = needle.toLowerCase();
  const gate = m.caseSensitive ? null : caselessGate(low);
  const scan = gate && low !== '' ? new RegExp(gate.source, 'g') : null;
  const lineGate =
    needle === '' || /[\r\n]/.test(needle)
      ? undefined
      : m.caseSensitive
        ? (text: string) => text.includes(needle)
        : gate
          ? (text: string) => gate.test(text)
          : undefined;
  return {
    ...(lineGate ? { gate: lineGate } : {}),
    find: (text, lower) => {
      if (gate && !gate.test(text)) return null;
      // Without U+0130 (the one character whose lower case is longer) every index of the text
      // is its index in the lower-cased copy, so the gate's own matches are the needle's.
      if (scan && !text.includes('\u0130')) return scanHits(scan, text, need);
      const hay = m.caseSensitive ? text : lower();
      const n = m.caseSensitive ? needle : low;
      const first = hay.indexOf(n);
      if (first < 0) return null;
      let count = 1;
      for (
        let at = hay.indexOf(n, first + n.length);
        at >= 0 && count < need;
        at = hay.indexOf(n, at + n.length)
      )
        count++;
      return count >= need ? { index: first, count } : null;
    },
  };
}

/** First index and count (up to `need`) of a global regex's non-overlapping matches. */
function scanHits(re: RegExp, text: string, need: number): TextHit | null {
  re.lastIndex = 0;
  let first = -1;
  let count = 0;
  for (let hit = re.exec(text); hit; hit = re.exec(text)) {
    if (first < 0) first = hit.index;
    count++;
    if (count >= need) break;
    if (hit[0] === '') re.lastIndex++;
  }
  return count >= need ? { index: first, count } : null;
}

/**
 * A regex over the original text that matches wherever its lower-cased copy contains `low`, so
 * a case-insensitive needle that is absent costs no lower-cased copy of a whole log. Only for
 * ASCII needles: besides ASCII letters, only U+212A (Kelvin sign) lower-cases to "k" and U+0130
 * to "i" (plus U+0307), and the classes admit those too. Null when the needle is not ASCII.
 */
export function caselessGate(low: string): RegExp | null {
  for (let i = 0; i < low.length; i++) if (low.charCodeAt(i) > 0x7f) return null;
  let src = '';
  for (const ch of low) {
    if (ch === 'k') src += '[kK\u212A]';
    else if (ch === 'i') src += '[iI\u0130]';
    else if (ch >= 'a' && ch <= 'z') src += `[${ch}${ch.toUpperCase()}]`;
    else src += ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return new RegExp(src);
}

function compileName(m: NameMatch): { test: (name: string) => boolean; label: string } {
  if (typeof m === 'string') {
    const want = m.toLowerCase();
    return { label: m, test: (n) => n.toLowerCase() === want };
  }
  const t = compileText(m);
  return { label: t.label, test: (n) => t.find(n, () => n.toLowerCase()) !== null };
}

const TEXT_FIELD_LABEL = {
  mainError: 'main error',
  callStack: 'call stack',
  relevantObjects: 'relevant objects',
  text: 'log',
} as const;

type IndexedField = 'mainError' | 'callStack' | 'relevantObjects';

/**
 * The case-sensitive `contains` needles of one rule set, per text field, searched all at once
 * per subject (NeedleSet) on the first rule that asks. A needle found this way is then searched
 * as before (first index, count); one not found cannot match, so its rule costs nothing. The
 * whole-log field is left out: its rules are gated on the decoded text so it is rarely built.
 * Rules are compiled on first use (compileRules), so a needle can be added after a subject was
 * searched or an automaton built: it is "may" for that subject, and the next automaton has it.
 */
class FieldNeedles {
  private readonly needles: Record<IndexedField, string[]> = {
    mainError: [],
    callStack: [],
    relevantObjects: [],
  };
  /** Per field: the automaton and how many needles it was built from. */
  private sets: Partial<Record<IndexedField, { set: NeedleSet | null; size: number }>> = {};
  private sealed = false;
  private readonly seen: Record<IndexedField, number> = { mainError: 0, callStack: 0, relevantObjects: 0 };
  /** Per subject: which needles its field holds, or null for "any may" (no automaton used). */
  private readonly found: Record<IndexedField, WeakMap<RuleSubject, Uint8Array | null>> = {
    mainError: new WeakMap(),
    callStack: new WeakMap(),
    relevantObjects: new WeakMap(),
  };

  add(field: IndexedField, needle: string): number {
    return this.needles[field].push(needle) - 1;
  }

  /**
   * Called once the rule set is made; before it every needle "may" occur. The automata are
   * built on the second subject (commands that only list rules never pay for them), and again
   * when rules compiled since have added needles.
   */
  seal(): void {
    this.sealed = true;
  }

  private setOf(field: IndexedField): NeedleSet | null {
    const list = this.needles[field];
    let built = this.sets[field];
    if (built === undefined || built.size !== list.length) {
      built = this.sets[field] = { set: list.length > 1 ? NeedleSet.build(list) : null, size: list.length };
    }
    return built.set;
  }

  /** False only when needle `id` of `field` is certainly not in the subject's text. */
  mayHold(s: RuleSubject, field: IndexedField, id: number): boolean {
    let flags = this.found[field].get(s);
    if (flags === undefined) {
      // The first subject is searched needle by needle: building the automaton costs more than
      // that search in a one-log `analyze` run (cold code); a scan pays for it from the second.
      const set = this.sealed && this.seen[field]++ > 0 ? this.setOf(field) : null;
      flags = set ? set.present(s[field]) : null;
      this.found[field].set(s, flags);
    }
    // A needle added after this subject was searched was not looked for: it may be there.
    return flags === null || id >= flags.length || flags[id] === 1;
  }
}

function textLeaf(field: keyof typeof TEXT_FIELD_LABEL, m: TextMatch, needles?: FieldNeedles): Test {
  const c = compileText(m);
  const indexed =
    needles &&
    field !== 'text' &&
    m.caseSensitive &&
    m.contains &&
    m.regex === undefined &&
    m.equals === undefined
      ? needles.add(field, m.contains)
      : -1;
  const absent =
    field === 'text' && m.regex !== undefined ? lineAbsence(m.regex, m.caseSensitive === true) : null;
  return (s) => {
    if (indexed >= 0 && !needles!.mayHold(s, field as IndexedField, indexed)) return null;
    // The whole log is built from its lines on first use; most rules' literals are not in it.
    if (field === 'text' && s.rawText && !c.gate(s.rawText)) return null;
    if (absent && s.textLines && absent(s.textLines)) return null;
    const text = s[field];
    if (!text) return null;
    const hit = c.find(text, () => lowerOf(s, field));
    if (!hit) return null;
    const times = m.minCount && hit.count > 1 ? ` (${hit.count}×)` : '';
    return [`${TEXT_FIELD_LABEL[field]} has ${c.label}${times}: “${lineAt(text, hit.index)}”`];
  };
}

function hexEq(a: string, b: string): boolean {
  const x = Number.parseInt(a.replace(/^0x/i, ''), 16);
  const y = Number.parseInt(b.replace(/^0x/i, ''), 16);
  return Number.isFinite(x) && x === y;
}

/** A short positive description of a condition, for "not" evidence. */
function describe(c: Condition): string {
  if ('module' in c) return `module ${typeof c.module.name === 'string' ? c.module.name : 'matching'} loaded`;
  if ('plugin' in c)
    return `plugin ${typeof c.plugin.name === 'string' ? c.plugin.name : 'matching'} in the load order`;
  if ('pluginOrder' in c) return 'such load order';
  if ('callStack' in c) return `call stack mentions ${c.callStack.contains ?? c.callStack.regex ?? ''}`;
  if ('mainError' in c) return `main error mentions ${c.mainError.contains ?? c.mainError.regex ?? ''}`;
  if ('setting' in c) return `${c.setting.key} = ${c.setting.equals}`;
  if ('logger' in c) return `logger ${String(c.logger)}`;
  return Object.keys(c)[0] ?? 'condition';
}

export function compileCondition(c: Condition, needles?: FieldNeedles): Test {
  if ('all' in c) {
    const parts = c.all.map((x) => compileCondition(x, needles));
    return (s) => {
      const ev: string[] = [];
      for (const p of parts) {
        const r = p(s);
        if (!r) return null;
        ev.push(...r);
      }
      return ev;
    };
  }
  if ('any' in c) {
    const parts = c.any.map((x) => compileCondition(x, needles));
    return (s) => {
      let ev: string[] | null = null;
      for (const p of parts) {
        const r = p(s);
        if (r) (ev ??= []).push(...r);
      }
      return ev;
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not, needles);
    const label = describe(c.not);
    return (s) => (inner(s) ? null : [`no ${label}`]);
  }
  if ('game' in c) return (s) => (s.game === c.game ? [] : null);
  if ('logger' in c) {
    const want = new Set(Array.isArray(c.logger) ? c.logger : [c.logger]);
    return (s) => (want.has(s.logger as never) ? [] : null);
  }
  if ('gameVersion' in c) {
    const r = c.gameVersion;
    return (s) =>
      s.gameVersion && inVersionRange(s.gameVersion, r)
        ? [`game version ${s.gameVersion}${r.eq === undefined ? ` (${describeVersionRange(r)})` : ''}`]
        : null;
  }
  if ('loggerVersion' in c) {
    const r = c.loggerVersion;
    return (s) =>
      s.loggerVersion && inVersionRange(s.loggerVersion, r)
        ? [`${s.logger} version ${s.loggerVersion} (${describeVersionRange(r)})`]
        : null;
  }
  if ('mainError' in c) return textLeaf('mainError', c.mainError, needles);
  if ('callStack' in c) return textLeaf('callStack', c.callStack, needles);
  if ('relevantObjects' in c) return textLeaf('relevantObjects', c.relevantObjects, needles);
  if ('text' in c) return textLeaf('text', c.text, needles);
  if ('exception' in c) {
    const name = c.exception.name !== undefined ? compileName(c.exception.name) : null;
    const code = c.exception.code;
    return (s) => {
      if (name && !(s.exceptionName && name.test(s.exceptionName))) return null;
      if (code !== undefined && s.exceptionCode !== code) return null;
      return [`exception ${s.exceptionName ?? `0x${(s.exceptionCode ?? 0).toString(16)}`}`];
    };
  }
  if ('faultingModule' in c) {
    const name = compileName(c.faultingModule.name);
    const offset = c.faultingModule.offset;
    return (s) => {
      if (!s.faultingModule || !name.test(s.faultingModule)) return null;
      if (offset !== undefined && !(s.faultingOffset && hexEq(s.faultingOffset, offset))) return null;
      return [`faulting module ${s.faultingModule}${s.faultingOffset ? `+${s.faultingOffset}` : ''}`];
    };
  }
  if ('bucket' in c) {
    const want = c.bucket;
    return (s) => (s.bucket && s.bucket === want ? [`bucket ${want}`] : null);
  }
  if ('culprit' in c) {
    const name = compileName(c.culprit);
    return (s) => (s.culprit && name.test(s.culprit) ? [`probable cause ${s.culprit}`] : null);
  }
  if ('frames' in c) {
    const mod = c.frames.module !== undefined ? compileName(c.frames.module) : null;
    const sym = c.frames.symbol !== undefined ? compileText(c.frames.symbol) : null;
    const id = c.frames.addressId;
    const top = c.frames.top ?? Infinity;
    return (s) => {
      const n = Math.min(s.frames.length, top);
      for (let i = 0; i < n; i++) {
        const f = s.frames[i]!;
        if (mod && !(f.module && mod.test(f.module))) continue;
        if (sym && !sym.find(f.text, () => f.text.toLowerCase())) continue;
        if (id !== undefined && f.addressId !== id) continue;
        return [`call stack frame ${i}: “${clip(f.text)}”`];
      }
      return null;
    };
  }
  if ('module' in c) {
    const name = compileName(c.module.name);
    const range = c.module.version;
    return (s) => {
      const hits: string[] = [];
      const consider = (m: { name: string; version: string | null }) => {
        if (!name.test(m.name)) return;
        if (range && !(m.version && inVersionRange(m.version, range))) return;
        hits.push(`module ${m.name}${m.version ? ` v${m.version}` : ''} loaded`);
      };
      if (typeof c.module.name === 'string') {
        const m = s.modules.get(c.module.name.toLowerCase());
        if (m) consider(m);
      } else for (const m of s.modules.values()) if (hits.length < 3) consider(m);
      return hits.length ? hits : null;
    };
  }
  if ('plugin' in c) {
    const pattern = typeof c.plugin.name === 'string' ? null : compileText(c.plugin.name);
    return (s) => {
      if (typeof c.plugin.name === 'string') {
        const p = s.plugins.name(c.plugin.name.toLowerCase());
        return p ? [`plugin ${p} in the load order`] : null;
      }
      // One scan of the newline-joined names instead of a regex run per plugin (2,000+ in big lists);
      // regexes are multi-line, so ^ and $ anchor per name.
      const names = s.plugins.joined();
      const hit = pattern!.find(names.text, names.lower);
      return hit ? [`plugin ${lineAt(names.text, hit.index)} in the load order`] : null;
    };
  }
  if ('pluginOrder' in c) {
    const first = compileName(c.pluginOrder.first);
    const then = compileName(c.pluginOrder.then);
    const find = (s: RuleSubject, n: { test: (name: string) => boolean }) => {
      const hit = s.plugins.first(n.test);
      return hit && { name: s.plugins.name(hit.low) ?? hit.low, at: hit.at };
    };
    return (s) => {
      const a = find(s, first);
      const b = a && find(s, then);
      return a && b && a.at < b.at
        ? [`plugin ${a.name} (position ${a.at}) loads before ${b.name} (position ${b.at})`]
        : null;
    };
  }
  if ('setting' in c) {
    const { section, key, equals } = c.setting;
    return (s) => {
      const sections = section ? [section] : Object.keys(s.settings);
      for (const sec of sections) {
        const v = s.settings[sec]?.[key];
        if (v !== undefined && v.trim().toLowerCase() === equals.toLowerCase())
          return [`setting [${sec}] ${key} = ${v}`];
      }
      return null;
    };
  }
  if ('memory' in c) {
    const { kind, freeGb, totalGb, usedPercent } = c.memory;
    const label = { ram: 'RAM', vram: 'GPU memory', pagefile: 'page file' }[kind];
    return (s) => {
      const m = s.memory[kind];
      if (!m) return null;
      const free = m.total - m.used;
      const pct = (100 * m.used) / m.total;
      if (freeGb && !inNumberRange(free, freeGb)) return null;
      if (totalGb && !inNumberRange(m.total, totalGb)) return null;
      if (usedPercent && !inNumberRange(pct, usedPercent)) return null;
      return [
        `${label}: ${m.used} of ${m.total} GB in use (${free.toFixed(2)} GB free, ${Math.round(pct)}%)`,
      ];
    };
  }
  if ('loadOrder' in c) {
    const lo = c.loadOrder;
    return (s) => {
      if (s.source !== 'crashlog') return null;
      const ev: string[] = [];
      if (lo.listed !== undefined) {
        const listed = s.pluginsListed && s.pluginTotals.total > 0;
        if (listed !== lo.listed) return null;
        ev.push(listed ? `${s.pluginTotals.total} plugins listed` : 'the log lists no game plugins');
      }
      if (lo.total && !inNumberRange(s.pluginTotals.total, lo.total)) return null;
      if (lo.regular) {
        if (!inNumberRange(s.pluginTotals.regular, lo.regular)) return null;
        ev.push(`${s.pluginTotals.regular} full (non-light) plugins`);
      }
      if (lo.light) {
        if (!inNumberRange(s.pluginTotals.light, lo.light)) return null;
        ev.push(`${s.pluginTotals.light} light plugins`);
      }
      if (lo.alphabetizedPercent) {
        if (s.espOrder.pairs === 0) return null;
        const pct = Math.round((100 * s.espOrder.ascending) / s.espOrder.pairs);
        if (!inNumberRange(pct, lo.alphabetizedPercent)) return null;
        ev.push(
          `${pct}% of neighbouring .esp plugins are in alphabetical order (${s.espOrder.ascending} of ${s.espOrder.pairs} pairs, ${s.pluginTotals.total} plugins)`,
        );
      }
      return ev;
    };
  }
  const never: never = c;
  throw new Error(`unknown condition ${JSON.stringify(never)}`);
}

/** The list a condition reads, when the condition is about something being absent from it. */
function listOf(c: Condition): LogSection | null {
  if ('module' in c) return 'modules';
  if ('plugin' in c || 'pluginOrder' in c || 'loadOrder' in c) return 'plugins';
  if ('setting' in c) return 'settings';
  if ('memory' in c) return 'system';
  if ('relevantObjects' in c) return 'objects';
  if ('frames' in c || 'callStack' in c) return 'stack';
  if ('faultingModule' in c || 'exception' in c || 'mainError' in c) return 'exception';
  return null;
}

/**
 * Sections a condition can only be judged with. "Not loaded" / "not in the load order" is
 * meaningless when the list was cut off the paste, and so is any fact about the load order
 * (position, counts, alphabetical order) except whether one was written at all.
 */
export function impliedSections(c: Condition, negated = false, out = new Set<LogSection>()): Set<LogSection> {
  if ('all' in c) for (const x of c.all) impliedSections(x, negated, out);
  else if ('any' in c) for (const x of c.any) impliedSections(x, negated, out);
  else if ('not' in c) impliedSections(c.not, !negated, out);
  else if ('pluginOrder' in c) out.add('plugins');
  else if ('loadOrder' in c) {
    // Whether a load order was written at all is judged on every log; the rest needs the list.
    const { listed: _listed, ...facts } = c.loadOrder;
    if (Object.values(facts).some((v) => v !== undefined)) out.add('plugins');
  } else if (negated) {
    const list = listOf(c);
    if (list) out.add(list);
  }
  return out;
}

/**
 * Builds every regex the rules hold (TextMatch.regex, wherever it sits), so a bad one is
 * reported when a rule file is loaded: compileRules builds them only on first use.
 */
export function checkRuleRegexes(rules: readonly Rule[]): void {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.regex === 'string') new RegExp(o.regex, o.caseSensitive === true ? 'gm' : 'gim');
      for (const x of Object.values(o)) visit(x);
    }
  };
  for (const r of rules) visit(r.match);
}

/**
 * The rules as closures, each built on its first use, and its `requires` on first read: an
 * `analyze` run of a log reaches only its game's rules (a Skyrim log never runs the 86 Fallout 4
 * ones, a Fallout 4 log the 135 Skyrim ones), and building every rule's closures was most of the
 * ~8 ms `bundledRuleSet()` cost per run (issue 15). Building one later gives the same closures.
 * Rule files from users are still checked when loaded (registry.ts: checkRuleConditions).
 */
export function compileRules(rules: readonly Rule[]): CompiledRule[] {
  const needles = new FieldNeedles();
  const compiled = rules.map((rule) => lazyRule(rule, needles));
  needles.seal();
  return compiled;
}

function lazyRule(rule: Rule, needles: FieldNeedles): CompiledRule {
  let test: Test | null = null;
  let requires: LogSection[] | null = null;
  return {
    rule,
    test: (s) => (test ??= compileCondition(rule.match, needles))(s),
    get requires() {
      return (requires ??= [...new Set([...(rule.requires ?? []), ...impliedSections(rule.match)])]);
    },
  };
}

/** Compiles every rule's condition now, so a condition the engine cannot build throws here. */
export function checkRuleConditions(rules: readonly Rule[]): void {
  for (const r of rules) compileCondition(r.match);
}

/** A bit per log section (rules require the 8 LogSections), given on first sight. */
const SECTION_BIT = new Map<LogSection, number>();

function sectionBit(section: LogSection): number {
  let bit = SECTION_BIT.get(section);
  if (bit === undefined) {
    bit = 2 ** SECTION_BIT.size;
    SECTION_BIT.set(section, bit);
  }
  return bit;
}

interface Planned {
  c: CompiledRule;
  /** The sections it requires, as bits. */
  need: number;
}

/**
 * Per rule set and subject game: the rules that may run, in order, with their required sections
 * as bits. Made once per rule set (not per log): the other game's rules are left out and the
 * section check is one mask test (issue 15).
 */
const PLANS = new WeakMap<readonly CompiledRule[], { size: number; byGame: Map<string | null, Planned[]> }>();

function rulesFor(compiled: readonly CompiledRule[], game: string | null): Planned[] {
  let plan = PLANS.get(compiled);
  if (plan === undefined || plan.size !== compiled.length) {
    plan = { size: compiled.length, byGame: new Map() };
    PLANS.set(compiled, plan);
  }
  let list = plan.byGame.get(game);
  if (list === undefined) {
    list = [];
    for (const c of compiled) {
      // A fragment that names no game (an exception line alone) runs every game's rules: their
      // own conditions decide; a known game keeps the other game's rules away.
      if (c.rule.game !== 'any' && game !== null && c.rule.game !== game) continue;
      let need = 0;
      for (const x of c.requires) need |= sectionBit(x);
      list.push({ c, need });
    }
    plan.byGame.set(game, list);
  }
  return list;
}

export function runRules(compiled: readonly CompiledRule[], s: RuleSubject): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  let have = 0;
  for (const x of s.sections) have |= sectionBit(x);
  for (const { c, need } of rulesFor(compiled, s.game)) {
    const { rule, test } = c;
    if (seen.has(rule.id)) continue;
    if ((need & ~have) !== 0) continue;
    const ev = test(s);
    if (!ev) continue;
    seen.add(rule.id);
    out.push(findingOf(rule, ev));
  }
  return sortFindings(out);
}

/** The finding a rule gives with these evidence lines (each once, at most MAX_EVIDENCE). */
export function findingOf(rule: Rule, ev: readonly string[]): Finding {
  return {
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    explanation: rule.explanation,
    fix: rule.fix,
    ...(rule.link ? { link: rule.link } : {}),
    evidence: [...new Set(ev)].slice(0, MAX_EVIDENCE),
  };
}
