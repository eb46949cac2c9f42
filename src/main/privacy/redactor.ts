import iconv from 'iconv-lite';
import type { RedactionCategory } from '../../shared/domain/bundle';
import { ByteMatcher, type BytePattern } from './byte-matcher';
import type { Identity, IdentitySet } from './identities';
import type { CompiledRule, RuleSet } from './rules';
import { VALIDATORS } from './validators';

/** One value to replace: [start, end) in the scanned string. */
export interface Span {
  start: number;
  end: number;
  ruleId: string;
  category: RedactionCategory;
  value: string;
  /** A fixed stand-in (e.g. "<documents>") instead of the value's pseudonym. */
  fixed: string | null;
  /** Set for identity literals: the stand-in of the identity this variant belongs to. */
  token?: string;
}

/** Counts replacements per rule for one file (the redaction report's unit). */
export class HitCounter {
  readonly hits = new Map<string, number>();
  add(ruleId: string, n = 1): void {
    this.hits.set(ruleId, (this.hits.get(ruleId) ?? 0) + n);
  }
  get total(): number {
    let t = 0;
    for (const v of this.hits.values()) t += v;
    return t;
  }
  merge(other: HitCounter): void {
    for (const [k, v] of other.hits) this.add(k, v);
  }
  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.hits].sort((a, b) => a[0].localeCompare(b[0])));
  }
}

export const IDENTITY_RULE_PREFIX = 'identity:';

/**
 * A stand-in that fits exactly `n` characters, for places that must keep their length (dump
 * strings and memory): "<user>" → "<user__>" or "<us>".
 */
export function fitToken(token: string, n: number): string {
  if (n <= 0) return '';
  if (n === token.length) return token;
  if (n > token.length) return `${token.slice(0, -1)}${'_'.repeat(n - token.length)}>`;
  if (n >= 3) return `<${token.slice(1, n - 1)}>`;
  return '_'.repeat(n);
}

/**
 * How a string being scanned was decoded. "latin1" is a byte-for-byte view of bytes in an
 * unknown or single-byte encoding (memory, CodeView names, logs that are not UTF-8): literals
 * are then also searched as their UTF-8 / Windows-1252 / CP949 bytes.
 */
export type TextView = 'unicode' | 'latin1';

/** Code pages a value is also looked for in (besides UTF-8), by the string and the byte engine alike. */
export const LEGACY_ENCODINGS = ['win1252', 'cp949', 'shift_jis', 'gbk'] as const;

/**
 * Short names and numbers must stand alone; longer names are replaced even inside words. The
 * text and the byte engine both go by this, so a value is bounded the same way in every file.
 */
export function literalBound(v: string): 'none' | 'alnum' | 'digit' {
  if (/^\d+$/.test(v)) return 'digit';
  if (/^[A-Za-z0-9]/.test(v) && /[A-Za-z0-9]$/.test(v) && [...v].length <= 4) return 'alnum';
  return 'none';
}

function latin1Forms(v: string): string[] {
  const out = new Set<string>();
  out.add(Buffer.from(v, 'utf8').toString('latin1'));
  for (const enc of LEGACY_ENCODINGS) {
    try {
      const b = iconv.encode(v, enc);
      // Only encodings that can represent the value (no "?" substitutions).
      if (iconv.decode(b, enc) === v) out.add(b.toString('latin1'));
    } catch {
      // Encoding unavailable: the UTF-8 form still applies.
    }
  }
  return [...out];
}

/** A value found in a byte view: its UTF-8 reading when valid, else Windows-1252. */
export function unicodeOfLatin1(v: string): string {
  if (!/[\x80-\xff]/.test(v)) return v;
  const b = Buffer.from(v, 'latin1');
  const u = b.toString('utf8');
  if (!u.includes('\ufffd') && Buffer.from(u, 'utf8').equals(b)) return u;
  return iconv.decode(b, 'win1252');
}

/**
 * The text redaction engine. One instance per bundle: it shares the pseudonym table and the
 * identity set, so a value gets the same stand-in in every file.
 */
export class Redactor {
  private literal: { version: number; view: TextView; matcher: ByteMatcher<LiteralInfo> | null }[] = [];

  constructor(
    readonly rules: RuleSet,
    readonly identities: IdentitySet,
  ) {}

  /** Runs the identity rules and remembers every value they find. Returns how many were new. */
  discover(text: string, learnedFrom: string, view: TextView = 'unicode'): number {
    let added = 0;
    const lower = text.toLowerCase();
    const found: Span[] = [];
    for (const rule of this.rules.rules) {
      if (!rule.identity) continue;
      for (const s of this.ruleSpans(rule, text, lower, view)) found.push(s);
    }
    found.sort((a, b) => a.start - b.start);
    for (const s of found) if (this.identities.add(s.category, s.value, learnedFrom)) added++;
    return added;
  }

  /** Every value to replace in `text`, overlaps merged (a later span inside an earlier one is absorbed). */
  findSpans(text: string, view: TextView = 'unicode'): Span[] {
    const spans: Span[] = [];
    const lower = text.toLowerCase();
    for (const rule of this.rules.rules) {
      for (const s of this.ruleSpans(rule, text, lower, view)) spans.push(s);
    }
    spans.push(...this.literalSpans(text, view));
    return mergeSpans(spans);
  }

  /**
   * The redacted text. `fixedLength` keeps every replaced run's length (dump strings); the
   * counter gets one hit per replaced value, by rule.
   */
  redact(
    text: string,
    counter: HitCounter,
    opts: { fixedLength?: boolean; view?: TextView; learnedFrom?: string } = {},
  ): string {
    const spans = this.findSpans(text, opts.view ?? 'unicode');
    if (spans.length === 0) return text;
    return this.apply(text, spans, counter, opts.fixedLength ?? false, opts.learnedFrom ?? 'a file');
  }

  /** Replaces merged spans with their stand-ins. */
  apply(text: string, spans: Span[], counter: HitCounter, fixedLength: boolean, learnedFrom: string): string {
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start);
      const token = this.tokenOf(s, learnedFrom);
      out += fixedLength ? fitToken(token, s.end - s.start) : token;
      at = s.end;
      counter.add(s.ruleId);
    }
    return out + text.slice(at);
  }

  tokenOf(s: Span, learnedFrom: string): string {
    if (s.fixed) return s.fixed;
    if (s.token) return s.token;
    return (
      this.identities.table.lookup(s.category, s.value)?.token ??
      this.identities.table.tokenFor(s.category, s.value, learnedFrom)
    );
  }

  private *ruleSpans(rule: CompiledRule, text: string, lower: string, view: TextView): Generator<Span> {
    const needled = rule.needles.length > 0 && rule.needles.some((n) => lower.includes(n));
    let anchored = false;
    if (rule.anchor) {
      rule.anchor.lastIndex = 0;
      anchored = rule.anchor.test(text);
    }
    if (!needled && !anchored) return;
    yield* ruleMatches(rule, view === 'latin1' ? rule.regexBytes : rule.regex, text, view, 0, text.length);
  }

  /**
   * One Aho–Corasick automaton over every identity form (any case, and for byte views their
   * UTF-8 / code-page bytes): 20,000 learned IPs or a maximal "always redact" list cost one
   * pass, where an alternation of literals costs one attempt per literal at every position.
   */
  private literalMatcher(view: TextView): ByteMatcher<LiteralInfo> | null {
    const cached = this.literal.find((l) => l.view === view);
    if (cached && cached.version === this.identities.version) return cached.matcher;
    const patterns: BytePattern<LiteralInfo>[] = [];
    const seen = new Set<string>();
    for (const id of this.identities.list()) {
      const bound = literalBound(id.value);
      for (const c of new Set([id.value, id.value.toLowerCase(), id.value.toUpperCase()]))
        for (const f of view === 'latin1' ? latin1Forms(c) : [c]) {
          const bytes = Buffer.from(f, view === 'latin1' ? 'latin1' : 'utf8');
          const key = bytes.toString('latin1');
          if (!bytes.length || seen.has(key)) continue;
          seen.add(key);
          patterns.push({ bytes, data: { id, bound } });
        }
    }
    const matcher = patterns.length ? new ByteMatcher(patterns) : null;
    this.literal = [
      ...this.literal.filter((l) => l.view !== view),
      { version: this.identities.version, view, matcher },
    ];
    return matcher;
  }

  private literalSpans(text: string, view: TextView): Span[] {
    const matcher = this.literalMatcher(view);
    if (!matcher) return [];
    const buf = Buffer.from(text, view === 'latin1' ? 'latin1' : 'utf8');
    const index = view === 'latin1' || buf.length === text.length ? null : utf16Index(text, buf.length);
    const out: Span[] = [];
    matcher.scan(buf, 0, buf.length, (pi, start) => {
      const p = matcher.patterns[pi]!;
      const end = start + p.bytes.length;
      const { id, bound } = p.data;
      if (bound !== 'none') {
        const test = bound === 'digit' ? isDigitByte : isAlnumByte;
        if (test(buf[start - 1]) || test(buf[end])) return;
      }
      out.push({
        start: index ? index[start]! : start,
        end: index ? index[end]! : end,
        ruleId: `${IDENTITY_RULE_PREFIX}${id.category}`,
        category: id.category,
        value: id.value,
        fixed: null,
        token: id.token,
      });
    });
    return out;
  }
}

interface LiteralInfo {
  id: Identity;
  bound: 'none' | 'alnum' | 'digit';
}

/** ASCII letter or digit (shared with the byte engine: values are bounded the same way everywhere). */
export function isAlnumByte(b: number | undefined): boolean {
  return (
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))
  );
}

export function isDigitByte(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** UTF-8 byte offset → UTF-16 index of `text` (offsets inside a character map to its start). */
function utf16Index(text: string, bytes: number): Int32Array {
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    for (let k = 0; k < n && b + k <= bytes; k++) map[b + k] = i;
    b += n;
    if (n === 4) i++;
  }
  map[bytes] = text.length;
  return map;
}

/**
 * Matches of one rule in text[from, to): the value group's offsets, after the rule's keep list
 * and validator. Shared by the string engine and the byte engine (which passes window bounds).
 */
export function* ruleMatches(
  rule: CompiledRule,
  regex: RegExp,
  text: string,
  view: TextView,
  from: number,
  to: number,
  binary = false,
  earliest?: (at: number) => number,
): Generator<Span> {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  for (;;) {
    // `earliest`: where the next match can start at the soonest (-1: nowhere), from the rule's
    // needleLead and the needles' places; the regex need not try the characters before it.
    if (earliest) {
      const at = earliest(regex.lastIndex);
      if (at < 0) break;
      if (at > regex.lastIndex) regex.lastIndex = at;
    }
    if ((m = regex.exec(slice)) === null) break;
    if (m[0].length === 0) regex.lastIndex++;
    const idx = m.indices?.groups;
    const groups = m.groups ?? {};
    let name: string | null = null;
    for (const g of Object.keys(groups)) if (/^v\d*$/.test(g) && groups[g] !== undefined) name = g;
    if (!name || !idx?.[name]) continue;
    const [s0, e0] = idx[name]!;
    const raw = groups[name]!;
    // "<user>", or a stand-in fitted into a dump ("<user___>"): already redacted, never a value.
    if (!raw.trim() || /[<>]/.test(raw) || rule.keep.has(raw.toLowerCase())) continue;
    if (
      rule.validate &&
      !VALIDATORS[rule.validate]({ value: raw, groups, text: slice, start: s0, end: e0, binary })
    )
      continue;
    const value = view === 'latin1' ? unicodeOfLatin1(raw) : raw;
    if (rule.keep.has(value.toLowerCase())) continue;
    yield {
      start: from + s0,
      end: from + e0,
      ruleId: rule.id,
      category: rule.category,
      value,
      fixed: rule.fixed,
    };
  }
}

/** Sorts spans and merges overlaps into one replaced run, so no part of a value can leak. */
export function mergeSpans(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans;
  // Same range found by a rule and by an identity literal: credit the rule (the report is clearer).
  const lit = (s: Span) => (s.ruleId.startsWith(IDENTITY_RULE_PREFIX) ? 1 : 0);
  spans.sort((a, b) => a.start - b.start || b.end - a.end || lit(a) - lit(b));
  const out: Span[] = [];
  let cur = spans[0]!;
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.start < cur.end) {
      if (s.end > cur.end) cur = { ...cur, end: s.end };
      continue;
    }
    out.push(cur);
    cur = s;
  }
  out.push(cur);
  return out;
}
