import iconv from 'iconv-lite';
import { ByteMatcher, HitList, type BytePattern } from './byte-matcher';
import type { Identity, IdentitySet } from './identities';
import type { RedactionCategory } from '../../shared/domain/bundle';
import {
  HitCounter,
  IDENTITY_RULE_PREFIX,
  isAlnumByte,
  isDigitByte,
  LEGACY_ENCODINGS,
  fitToken,
  literalBound,
  mergeSpans,
  ruleMatches,
  type Span,
} from './redactor';
import { ANCHOR_REACH } from './anchor-reach';
import type { CompiledRule, RuleSet } from './rules';

/**
 * Redaction over raw bytes. "text" mode reads a log or JSON file as bytes (each byte one char,
 * so offsets are byte offsets and unknown encodings survive byte for byte); "binary" mode reads
 * a dump, where strings are short printable runs in ASCII/UTF-8 or UTF-16LE among other data.
 *
 * One Aho–Corasick pass finds every needle and every identity literal; the rules' regexes then
 * run only in small windows around needles (text) or in the printable run holding a needle
 * (binary), which is what keeps a 200 MB dump to a couple of passes.
 */
export type ScanMode = 'text' | 'binary';
/**
 * "discover" teaches the identity set, "redact" returns spans, "both" does both in one scan
 * (the export's discovery pass, which keeps the spans so the redaction pass need not scan
 * again); "literals" returns only the identity literals' spans (no rule runs).
 */
export type ScanPurpose = 'discover' | 'redact' | 'both' | 'literals';
type MatcherKind = 'discover' | 'redact' | 'literals';

export interface ByteSpan extends Span {
  /** Bytes per character of the match: 2 for UTF-16LE, 1 otherwise. */
  unit: 1 | 2;
}

/** A value a scan would teach the identity set, in the order it appears. */
export interface FoundValue {
  category: RedactionCategory;
  value: string;
}

/**
 * What the engine needs of the identity set: the session's IdentitySet, or in a scan worker a
 * copy of its list at one version (scan-worker.ts), which never learns by itself.
 */
export type IdentityView = Pick<IdentitySet, 'version' | 'list' | 'add'>;

type Enc = 'bytes' | 'utf16le';
type PatternInfo =
  | { kind: 'needle'; rule: number; enc: Enc }
  | { kind: 'trigger'; rule: number; at: number }
  | { kind: 'literal'; identity: Identity; unit: 1 | 2; bound: 'none' | 'alnum' | 'digit' };

/**
 * What a dump may teach the other files: names and ids only recognisable by their context
 * (a profile path, USERNAME=, userdata\). Context-free values (e-mail, JWT, SteamID64) are
 * found by their own rules in every file anyway, and in random memory they are mostly noise.
 */
const LEARN_FROM_BINARY = new Set(['user', 'machine', 'org', 'steam', 'epic', 'gog', 'secret']);
/** Windows around a needle in text mode grow to whole lines, within this cap. */
const LINE_CAP = 64 * 1024;
/** Text past the reach an anchor string is made with, so nearby candidates share it. */
const ANCHOR_STRING = 4096;
/** Unchanged runs at least this long go out as views of the scanned buffer, not copies. */
const VIEW_MIN = 16 * 1024;

function isPrintableByte(b: number): boolean {
  return b === 9 || b === 10 || b === 13 || (b >= 0x20 && b !== 0x7f);
}

/** Code units that plausibly belong to text: Latin, Greek/Cyrillic, Hangul, kana, CJK, punctuation. */
function isPrintableUnit(cu: number): boolean {
  return (
    cu === 9 ||
    cu === 10 ||
    cu === 13 ||
    (cu >= 0x20 && cu < 0x7f) ||
    (cu >= 0xa0 && cu <= 0x24f) ||
    (cu >= 0x370 && cu <= 0x52f) ||
    (cu >= 0x1100 && cu <= 0x11ff) ||
    (cu >= 0x2000 && cu <= 0x206f) ||
    (cu >= 0x3000 && cu <= 0x30ff) ||
    (cu >= 0x3130 && cu <= 0x318f) ||
    (cu >= 0x4e00 && cu <= 0x9fff) ||
    (cu >= 0xac00 && cu <= 0xd7a3) ||
    (cu >= 0xff00 && cu <= 0xffef)
  );
}

function alnumAround(buf: Buffer, start: number, len: number, enc: Enc): boolean {
  if (enc === 'utf16le') {
    const before = start >= 2 && buf[start - 1] === 0 ? buf[start - 2] : undefined;
    const after = buf[start + len + 1] === 0 ? buf[start + len] : undefined;
    return isAlnumByte(before) && isAlnumByte(after);
  }
  return isAlnumByte(buf[start - 1]) && isAlnumByte(buf[start + len]);
}

function literalForms(value: string): { bytes: Buffer; unit: 1 | 2 }[] {
  const cases = new Set([value, value.toLowerCase(), value.toUpperCase()]);
  const out: { bytes: Buffer; unit: 1 | 2 }[] = [];
  const seen = new Set<string>();
  const push = (bytes: Buffer, unit: 1 | 2) => {
    const k = `${unit}:${bytes.toString('hex')}`;
    if (bytes.length === 0 || seen.has(k)) return;
    seen.add(k);
    out.push({ bytes, unit });
  };
  for (const c of cases) {
    push(Buffer.from(c, 'utf8'), 1);
    push(Buffer.from(c, 'utf16le'), 2);
    if (/[\u0080-\uffff]/.test(c))
      for (const enc of LEGACY_ENCODINGS) {
        try {
          const b = iconv.encode(c, enc);
          if (iconv.decode(b, enc) === c) push(b, 1);
        } catch {
          // Not representable in that code page.
        }
      }
  }
  return out;
}

interface Built {
  version: number;
  matcher: ByteMatcher<PatternInfo>;
  rules: CompiledRule[];
}

const sharedMatchers = new WeakMap<RuleSet, Map<string, Built>>();

export class ByteEngine {
  private readonly built = new Map<string, Built>();
  /** The matcher's hits for the scan in progress (scans of one engine never nest). */
  private readonly hits = new HitList();

  constructor(
    readonly rules: RuleSet,
    readonly identities: IdentityView,
  ) {}

  private eligible(mode: ScanMode, purpose: MatcherKind): CompiledRule[] {
    if (purpose === 'literals') return [];
    return this.rules.rules.filter(
      (r) => (mode === 'text' || r.binary) && (purpose === 'redact' || r.identity),
    );
  }

  private matcherFor(mode: ScanMode, purpose: MatcherKind): Built {
    const key = `${mode}|${purpose}`;
    const have = this.built.get(key);
    const version = purpose === 'discover' ? 0 : this.identities.version;
    if (have && have.version === version) return have;
    // Discovery looks for rule needles only: the same matcher for every bundle using these rules.
    const shared = purpose === 'discover' ? sharedMatchers.get(this.rules)?.get(key) : undefined;
    if (shared) {
      this.built.set(key, shared);
      return shared;
    }
    const rules = this.eligible(mode, purpose);
    const patterns: BytePattern<PatternInfo>[] = [];
    rules.forEach((r, ri) => {
      for (const n of mode === 'binary' ? [...r.needles, ...r.binaryNeedles] : r.needles) {
        patterns.push({ bytes: Buffer.from(n, 'utf8'), data: { kind: 'needle', rule: ri, enc: 'bytes' } });
        if (mode === 'binary')
          patterns.push({
            bytes: Buffer.from(n, 'utf16le'),
            data: { kind: 'needle', rule: ri, enc: 'utf16le' },
          });
      }
      // Text only: where the rule's anchor can start (dumps use binaryNeedles instead).
      if (mode === 'text')
        for (const t of r.anchorTriggers ?? [])
          for (const n of t.literals)
            patterns.push({
              bytes: Buffer.from(n, 'utf8'),
              data: { kind: 'trigger', rule: ri, at: t.at },
              guard: { at: t.at, notAfter: t.notAfter },
            });
    });
    if (purpose !== 'discover')
      for (const id of this.identities.list()) {
        const bound = literalBound(id.value);
        for (const f of literalForms(id.value)) {
          if (mode === 'text' && f.unit === 2) continue;
          patterns.push({ bytes: f.bytes, data: { kind: 'literal', identity: id, unit: f.unit, bound } });
        }
      }
    const built = { version, matcher: new ByteMatcher(patterns), rules };
    this.built.set(key, built);
    if (purpose === 'discover') {
      const m = sharedMatchers.get(this.rules) ?? new Map<string, Built>();
      m.set(key, built);
      sharedMatchers.set(this.rules, m);
    }
    return built;
  }

  /**
   * Every value in `buf` for the given purpose. "discover" adds identity-rule values to the
   * identity set (and returns nothing); "redact" returns the spans, unmerged; "both" does both
   * (the spans then hold identity literals known before this call, not the ones it taught).
   */
  scan(buf: Buffer, mode: ScanMode, purpose: ScanPurpose, learnedFrom: string): ByteSpan[] {
    const found: FoundValue[] = [];
    const spans = this.scanInto(buf, mode, purpose, found);
    this.learn(found, learnedFrom);
    return spans;
  }

  /**
   * A "both" scan that teaches nothing: the spans (with the identity literals known now) and
   * the values `scan` would have added, for `learn` later. Scans of a file's pieces may then
   * run on other threads while their values are still learned in the file's order.
   */
  scanDeferred(buf: Buffer, mode: ScanMode): { spans: ByteSpan[]; found: FoundValue[] } {
    const found: FoundValue[] = [];
    return { spans: this.scanInto(buf, mode, 'both', found), found };
  }

  /** Adds values found by `scanDeferred`, in order (stand-ins number the way a reader meets them). */
  learn(found: readonly FoundValue[], learnedFrom: string): void {
    for (const f of found) this.identities.add(f.category, f.value, learnedFrom);
  }

  private scanInto(buf: Buffer, mode: ScanMode, purpose: ScanPurpose, learned: FoundValue[]): ByteSpan[] {
    const { matcher, rules } = this.matcherFor(mode, purpose === 'both' ? 'redact' : purpose);
    // Needle positions per (rule, encoding, alignment): index rule * 4 + enc * 2 + align.
    const positions: (number[] | undefined)[] = [];
    // Per rule: where its anchor may start (from anchorTriggers), to be tried there.
    const candidates: (number[] | undefined)[] = [];
    const spans: ByteSpan[] = [];
    const push = (key: number, p: number) => {
      const list = positions[key];
      if (list) list.push(p);
      else positions[key] = [p];
    };
    // Every hit first, then a plain loop over them: no callback per hit.
    const hits = this.hits;
    hits.clear();
    matcher.collect(buf, 0, buf.length, hits);
    const hd = hits.data;
    for (let k = 0; k < hits.length; k += 2) {
      const pi = hd[k]!;
      const start = hd[k + 1]!;
      const p = matcher.patterns[pi]!;
      const d = p.data;
      if (d.kind === 'trigger') {
        // The matcher has dropped the hits whose anchor would start before the buffer or after
        // a byte the trigger's notAfter marks (its guard).
        const q = start - d.at;
        const list = candidates[d.rule];
        if (list) list.push(q);
        else candidates[d.rule] = [q];
        continue;
      }
      if (d.kind === 'needle') {
        // In binary data a one-character needle ("@") is everywhere; only one between
        // letters or digits can be part of a value.
        if (mode === 'binary' && p.bytes.length <= 2 && !alnumAround(buf, start, p.bytes.length, d.enc))
          continue;
        push(d.enc === 'utf16le' ? d.rule * 4 + 2 + (start & 1) : d.rule * 4, start);
        continue;
      }
      const end = start + p.bytes.length;
      if (d.unit === 2 && start & 1 && mode === 'text') continue;
      if (d.bound !== 'none') {
        const before = d.unit === 2 ? (buf[start - 1] === 0 ? buf[start - 2] : 0xff) : buf[start - 1];
        const after = d.unit === 2 ? (buf[end + 1] === 0 ? buf[end] : 0xff) : buf[end];
        const test = d.bound === 'digit' ? isDigitByte : isAlnumByte;
        if (test(before) || test(after)) continue;
      }
      spans.push({
        start,
        end,
        ruleId: `${IDENTITY_RULE_PREFIX}${d.identity.category}`,
        category: d.identity.category,
        value: d.identity.value,
        fixed: null,
        token: d.identity.token,
        unit: d.unit,
      });
    }

    if (mode === 'text') {
      const { anchor, each } = this.anchorsFor(rules);
      // Rules with anchorTriggers: their anchor is tried only where a trigger says it may start.
      for (const [ri, own] of each) {
        if (!rules[ri]!.anchorTriggers) continue;
        for (const q of this.anchorStarts(buf, own, candidates[ri])) push(ri * 4, q);
      }
      // The others: one pass of their anchors together over the whole text (one alternation is
      // cheaper than one scan each). At each position where one matches, every such rule's own
      // anchor is tried there (the first alternative can hide another's match at the same
      // place), and the search resumes one character later, so a match starting inside another
      // is found too. A rule's regex then runs only on lines where its own anchor matched.
      if (anchor) {
        anchor.lastIndex = 0;
        const text = buf.toString('latin1');
        let m: RegExpExecArray | null;
        while ((m = anchor.exec(text)) !== null) {
          for (const [ri, own] of each) {
            if (rules[ri]!.anchorTriggers) continue;
            own.lastIndex = m.index;
            if (own.test(text)) push(ri * 4, m.index);
          }
          anchor.lastIndex = m.index + 1;
        }
      }
    }

    // Values are added in the order they appear, so stand-ins number the way a reader meets them.
    const found: { at: number; category: ByteSpan['category']; value: string }[] = [];
    for (let key = 0; key < positions.length; key++) {
      const list = positions[key];
      if (!list) continue;
      const enc: Enc = key & 2 ? 'utf16le' : 'bytes';
      const rule = rules[key >> 2]!;
      const regions = this.regions(buf, list, rule.window, mode, enc);
      // `list` is sorted now (regions sorts it); `next` walks it along the regions.
      let next = 0;
      const lead = mode === 'text' ? rule.needleLead : null;
      for (const [a, b] of regions) {
        // A match starting at or after `at` holds a needle at or after it, at most `lead` on.
        const earliest =
          lead === null
            ? undefined
            : (at: number): number => {
                while (next < list.length && list[next]! < a + at) next++;
                return next < list.length && list[next]! < b ? Math.max(at, list[next]! - lead - a) : -1;
              };
        const unit = enc === 'utf16le' ? 2 : 1;
        // The regex sees only its window (ruleMatches slices to it anyway), so no string of the
        // whole piece is made.
        const text = buf.toString(enc === 'utf16le' ? 'utf16le' : 'latin1', a, b);
        const base = a;
        const regex = enc === 'utf16le' ? rule.regex : rule.regexBytes;
        const view = enc === 'utf16le' ? 'unicode' : 'latin1';
        for (const s of ruleMatches(rule, regex, text, view, 0, text.length, mode === 'binary', earliest)) {
          const teach =
            (purpose === 'discover' || purpose === 'both') &&
            rule.identity &&
            (mode === 'text' || LEARN_FROM_BINARY.has(rule.category));
          if (teach) found.push({ at: base + s.start * unit, category: rule.category, value: s.value });
          if (purpose !== 'discover')
            spans.push({ ...s, start: base + s.start * unit, end: base + s.end * unit, unit });
        }
      }
    }
    found.sort((a, b) => a.at - b.at);
    for (const f of found) learned.push({ category: f.category, value: f.value });
    return spans;
  }

  private anchorCache = new WeakMap<CompiledRule[], { anchor: RegExp | null; each: [number, RegExp][] }>();

  private anchorsFor(rules: CompiledRule[]): { anchor: RegExp | null; each: [number, RegExp][] } {
    const have = this.anchorCache.get(rules);
    if (have) return have;
    const each = rules.flatMap((r, ri): [number, RegExp][] =>
      r.anchor ? [[ri, new RegExp(r.anchor.source, 'y')]] : [],
    );
    const sources = [
      ...new Set(each.filter(([ri]) => !rules[ri]!.anchorTriggers).map(([, re]) => re.source)),
    ];
    const anchor = sources.length ? new RegExp(sources.map((x) => `(?:${x})`).join('|'), 'g') : null;
    const entry = { anchor, each };
    this.anchorCache.set(rules, entry);
    return entry;
  }

  /**
   * The candidate positions (sorted, once each) where the sticky anchor `own` matches. It is
   * tried on a latin1 string holding at least ANCHOR_REACH around the position (or up to the
   * edge of the text), which the anchor's match and lookarounds stay within, so the answer is
   * the one the whole text would give. One string serves the candidates near each other.
   */
  private anchorStarts(buf: Buffer, own: RegExp, cands: number[] | undefined): number[] {
    if (!cands) return [];
    cands.sort((x, y) => x - y);
    const out: number[] = [];
    let text = '';
    let from = 0;
    let to = -1;
    let last = -1;
    for (const q of cands) {
      if (q === last) continue;
      last = q;
      const fits =
        (q - from >= ANCHOR_REACH.before || from === 0) &&
        (to - q >= ANCHOR_REACH.after || to === buf.length) &&
        q < to;
      if (!fits) {
        from = Math.max(0, q - ANCHOR_REACH.before);
        to = Math.min(buf.length, q + ANCHOR_REACH.after + ANCHOR_STRING);
        text = buf.toString('latin1', from, to);
      }
      own.lastIndex = q - from;
      if (own.test(text)) out.push(q);
    }
    return out;
  }

  /** Merged [start, end) byte ranges to run a rule's regex in. */
  private regions(buf: Buffer, hits: number[], window: number, mode: ScanMode, enc: Enc): [number, number][] {
    hits.sort((x, y) => x - y);
    const out: [number, number][] = [];
    for (const p of hits) {
      // Most needles of a busy line or string fall inside the region the previous one opened:
      // everything before them is covered already, so that region only grows forward. (Walking
      // back and forth around each needle again costs a window per hit, in text-heavy memory
      // far more than the scan itself.)
      const last0 = out[out.length - 1];
      if (last0 && p < last0[1]) {
        last0[1] = this.extend(buf, p, last0[1], window, mode, enc);
        continue;
      }
      let a: number;
      let b: number;
      if (mode === 'text') {
        // Whole lines around the needle (bounded), so a window never cuts a value in two.
        const lo = Math.max(0, p - window);
        const hi = Math.min(buf.length, p + window);
        const back = buf.subarray(Math.max(0, lo - LINE_CAP), lo).lastIndexOf(0x0a);
        a = back < 0 ? Math.max(0, lo - LINE_CAP) : Math.max(0, lo - LINE_CAP) + back + 1;
        const fwd = buf.subarray(hi, Math.min(buf.length, hi + LINE_CAP)).indexOf(0x0a);
        b = fwd < 0 ? Math.min(buf.length, hi + LINE_CAP) : hi + fwd;
      } else if (enc === 'bytes') {
        a = p;
        while (a > 0 && p - a < window && isPrintableByte(buf[a - 1]!)) a--;
        b = p;
        while (b < buf.length && b - p < window && isPrintableByte(buf[b]!)) b++;
      } else {
        a = p;
        while (a >= 2 && (p - a) / 2 < window && isPrintableUnit(buf.readUInt16LE(a - 2))) a -= 2;
        b = p;
        while (b + 1 < buf.length && (b - p) / 2 < window && isPrintableUnit(buf.readUInt16LE(b))) b += 2;
      }
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    return out;
  }

  /** The end of a region reaching `end` once needle `p` (inside it) has its window too. */
  private extend(buf: Buffer, p: number, end: number, window: number, mode: ScanMode, enc: Enc): number {
    let b = end;
    if (mode === 'text') {
      const hi = Math.min(buf.length, p + window);
      if (hi <= b) return b;
      const fwd = buf.subarray(hi, Math.min(buf.length, hi + LINE_CAP)).indexOf(0x0a);
      return fwd < 0 ? Math.min(buf.length, hi + LINE_CAP) : hi + fwd;
    }
    if (enc === 'bytes') while (b < buf.length && b - p < window && isPrintableByte(buf[b]!)) b++;
    else while (b + 1 < buf.length && (b - p) / 2 < window && isPrintableUnit(buf.readUInt16LE(b))) b += 2;
    return b;
  }

  /** Overwrites spans in place with stand-ins of the same byte length (dumps). */
  patch(buf: Buffer, spans: ByteSpan[], counter: HitCounter, learnedFrom: string, tokenOf: TokenOf): void {
    for (const s of mergeSpans(spans) as ByteSpan[]) {
      const len = s.end - s.start;
      const unit = s.unit ?? 1;
      const chars = Math.floor(len / unit);
      const token = fitToken(tokenOf(s, learnedFrom), chars);
      const bytes = Buffer.from(token, unit === 2 ? 'utf16le' : 'latin1');
      bytes.copy(buf, s.start);
      if (bytes.length < len) buf.fill(0x5f, s.start + bytes.length, s.end);
      counter.add(s.ruleId);
    }
  }

  /** A redacted copy of text bytes, stand-ins at their natural length. */
  rewrite(
    buf: Buffer,
    spans: ByteSpan[],
    counter: HitCounter,
    learnedFrom: string,
    tokenOf: TokenOf,
  ): Buffer {
    if (spans.length === 0) return buf;
    return Buffer.concat(this.rewriteParts(buf, spans, counter, learnedFrom, tokenOf));
  }

  /**
   * The same copy as `rewrite`, in parts: long unchanged runs are views of `buf` (not copied,
   * so `buf` must not be reused while they are written), short ones are joined with the
   * stand-ins around them. Concatenating a whole 2 MB piece cost more than scanning it.
   */
  rewriteParts(
    buf: Buffer,
    spans: ByteSpan[],
    counter: HitCounter,
    learnedFrom: string,
    tokenOf: TokenOf,
  ): Buffer[] {
    if (spans.length === 0) return [buf];
    const out: Buffer[] = [];
    let small: Buffer[] = [];
    const add = (part: Buffer) => {
      if (part.length < VIEW_MIN) {
        small.push(part);
        return;
      }
      if (small.length) out.push(Buffer.concat(small));
      small = [];
      out.push(part);
    };
    let at = 0;
    for (const s of mergeSpans(spans)) {
      if (s.start < at) continue;
      add(buf.subarray(at, s.start));
      add(Buffer.from(tokenOf(s, learnedFrom), 'latin1'));
      at = s.end;
      counter.add(s.ruleId);
    }
    add(buf.subarray(at));
    if (small.length) out.push(Buffer.concat(small));
    return out;
  }
}

export type TokenOf = (s: Span, learnedFrom: string) => string;
