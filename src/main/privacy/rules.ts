import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import defaultRuleFile from '../../../resources/redaction/default.json';
import { RedactionCategory } from '../../shared/domain/bundle';
import { VALIDATORS, type ValidatorName } from './validators';
import { formatIssues } from '../../shared/zod-issues';

/**
 * Redaction rules are data: `resources/redaction/*.json` (format described in
 * resources/redaction/FORMAT.md). A rule is a regular expression whose named group `v` (or
 * `v2`, `v3`… in alternatives) is the sensitive value; only that group is replaced, so a path
 * keeps its shape (`C:\Users\<user>\Documents`).
 */
export const RULE_FORMAT = 'ctd-redaction-rules';
export const RULE_FORMAT_VERSION = 1;

const RuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  description: z.string().min(1).max(400),
  category: RedactionCategory,
  pattern: z.string().min(1).max(4000),
  flags: z
    .string()
    .regex(/^[imsu]*$/)
    .optional(),
  /** Literals (matched case-insensitively) one of which every match contains or touches: the rule's regex only runs near them. */
  needles: z.array(z.string().min(1).max(64)).max(32).optional(),
  /**
   * How many characters after its start, at most, every match holds one of its needles (which
   * it contains). In text files the regex is then started no earlier than that before the next
   * needle, instead of at every character of the lines around it. Only with needles and no anchor.
   */
  needleLead: z.number().int().min(0).max(256).optional(),
  /** For rules whose needles would be too common ("." for IPs): an ASCII regex marking where to look instead. */
  anchor: z.string().min(1).max(400).optional(),
  /**
   * Extra needles for dumps only, where anchors do not run: literals that may hold ASCII
   * classes (`[0-9].[0-9]`), expanded to every combination (at most 4,096 per rule).
   */
  binaryNeedles: z.array(z.string().min(2).max(64)).max(16).optional(),
  /**
   * Where the anchor can start, so text files need no pass of it over the whole file: every
   * match of the anchor must contain one of a trigger's literals (classes expanded as in
   * binaryNeedles) `at` characters after its start and, with
   * `notAfter`, must not follow a character of that class. The anchor is then only tried at
   * those places, on the text from ANCHOR_REACH.before characters before to ANCHOR_REACH.after
   * after, which its match and its lookarounds must not leave. A trigger set that misses a match
   * loses that match: see FORMAT.md.
   */
  anchorTriggers: z
    .array(
      z.object({
        literals: z.array(z.string().min(1).max(64)).min(1).max(16),
        at: z.number().int().min(0).max(16),
        notAfter: z.string().min(1).max(64).optional(),
      }),
    )
    .max(16)
    .optional(),
  /** Discovered values become identities: replaced wherever they appear, in every file of the bundle. */
  identity: z.boolean().optional(),
  /** Also scan dump memory and dump strings (ASCII and UTF-16LE). */
  binary: z.boolean().optional(),
  /** Values that are never replaced (case-insensitive), e.g. "Public" in C:\Users\Public. */
  keep: z.array(z.string()).optional(),
  /** A built-in check run on each match (see validators.ts). */
  validate: z.enum(Object.keys(VALIDATORS) as [ValidatorName, ...ValidatorName[]]).optional(),
  /** "fixed:<token>" replaces with that token instead of a numbered pseudonym. */
  replace: z
    .string()
    .regex(/^fixed:<[a-z0-9-]{1,24}>$/)
    .optional(),
  /** Longest match in characters, for binary scans around a needle. */
  window: z.number().int().min(8).max(16384).optional(),
});
export type RuleSpec = z.infer<typeof RuleSchema>;

export const RuleFileSchema = z.object({
  format: z.literal(RULE_FORMAT),
  version: z.literal(RULE_FORMAT_VERSION),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  description: z.string().optional(),
  /** `{NAME}` in a pattern is replaced by the macro's text before compiling. */
  macros: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).optional(),
  rules: z.array(RuleSchema).min(1).max(256),
});
export type RuleFile = z.infer<typeof RuleFileSchema>;

export interface CompiledRule {
  id: string;
  description: string;
  category: RedactionCategory;
  /** For decoded text (JS strings, UTF-16 runs). */
  regex: RegExp;
  /** For byte views (each char is one byte: UTF-8 logs, memory): non-ASCII literals as UTF-8 bytes. */
  regexBytes: RegExp;
  anchor: RegExp | null;
  /** Compiled `anchorTriggers` (null: the anchor runs over the whole text). */
  anchorTriggers: AnchorTrigger[] | null;
  needles: string[];
  /** See RuleSchema.needleLead; null: the regex runs over the whole window. */
  needleLead: number | null;
  /** Expanded `binaryNeedles`, lower-case: looked for in dumps besides `needles`. */
  binaryNeedles: string[];
  identity: boolean;
  binary: boolean;
  keep: Set<string>;
  validate: ValidatorName | null;
  fixed: string | null;
  window: number;
}

export interface AnchorTrigger {
  /** Lower-case literals (the byte matcher ignores ASCII case). */
  literals: string[];
  /** Offset of the literal from the anchor match's start. */
  at: number;
  /** Per byte, 1 if it cannot come just before a match's start. */
  notAfter: Uint8Array | null;
}

export { ANCHOR_REACH } from './anchor-reach';

export interface RuleSet {
  /** "default@1", "my-rules@1" … for the report. */
  names: string[];
  rules: CompiledRule[];
}

export class RuleFileError extends Error {}

export function compileRuleFile(raw: unknown, origin: string): { name: string; rules: CompiledRule[] } {
  const parsed = RuleFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new RuleFileError(
      `${origin}: not a valid redaction rule file: ${formatIssues(parsed.error, { max: 3 })}`,
    );
  const f = parsed.data;
  const rules = f.rules.map((r) => {
    let source = r.pattern;
    for (const [k, v] of Object.entries(f.macros ?? {})) source = source.split(`{${k}}`).join(v);
    let regex: RegExp;
    let regexBytes: RegExp;
    let anchor: RegExp | null = null;
    // d: group indices (only the value is replaced); g: all matches. No u: with i it is several
    // times slower, and every class here is BMP-only anyway.
    const flags = `${(r.flags ?? '').replace(/[gdu]/g, '')}gd`;
    try {
      regex = new RegExp(source, flags);
      regexBytes = new RegExp(utf8Literals(source), flags);
      if (r.anchor) {
        if (/[\u0080-\uffff]/.test(r.anchor)) throw new Error('anchor must be ASCII');
        anchor = new RegExp(r.anchor, 'g');
      }
    } catch (e) {
      throw new RuleFileError(`${origin}: rule ${r.id}: ${(e as Error).message}`);
    }
    if (r.anchorTriggers && !r.anchor)
      throw new RuleFileError(`${origin}: rule ${r.id}: anchorTriggers without an anchor`);
    if (!r.anchor && !r.needles?.length)
      throw new RuleFileError(`${origin}: rule ${r.id}: needs needles or an anchor`);
    // An anchor finds matches with no needle in them: a lead would skip those.
    if (r.needleLead !== undefined && (r.anchor || !r.needles?.length))
      throw new RuleFileError(`${origin}: rule ${r.id}: needleLead needs needles and no anchor`);
    if (!/\(\?<v\d*>/.test(source))
      throw new RuleFileError(`${origin}: rule ${r.id}: pattern has no (?<v>…) group`);
    return {
      id: r.id,
      description: r.description,
      category: r.category,
      regex,
      regexBytes,
      anchor,
      needles: (r.needles ?? []).map((n) => n.toLowerCase()),
      needleLead: r.needleLead ?? null,
      binaryNeedles: expandNeedles(r.binaryNeedles ?? [], `${origin}: rule ${r.id}`),
      anchorTriggers: r.anchorTriggers
        ? r.anchorTriggers.map((t) => ({
            literals: expandNeedles(t.literals, `${origin}: rule ${r.id}`),
            at: t.at,
            notAfter: t.notAfter ? classBytes(t.notAfter, `${origin}: rule ${r.id}`) : null,
          }))
        : null,
      identity: r.identity ?? false,
      binary: r.binary ?? false,
      keep: new Set((r.keep ?? []).map((k) => k.toLowerCase())),
      validate: r.validate ?? null,
      fixed: r.replace ? r.replace.slice('fixed:'.length) : null,
      window: r.window ?? 512,
    } satisfies CompiledRule;
  });
  return { name: `${f.name}@${f.version}`, rules };
}

const MAX_EXPANDED_NEEDLES = 4096;

/**
 * `[0-9a-f]:[0-9a-f]` → "0:0", "0:1", … Classes hold ASCII characters and `a-z` ranges; the
 * result is lower-case (the byte matcher ignores ASCII case).
 */
export function expandNeedles(specs: string[], where: string): string[] {
  const out = new Set<string>();
  for (const spec of specs) {
    let partial = [''];
    for (let i = 0; i < spec.length; i++) {
      let options: string[];
      if (spec[i] === '[') {
        const end = spec.indexOf(']', i + 2);
        if (end < 0) throw new RuleFileError(`${where}: unclosed [ in binary needle ${JSON.stringify(spec)}`);
        options = classMembers(spec.slice(i + 1, end), where);
        i = end;
      } else options = [spec[i]!];
      partial = partial.flatMap((p) => options.map((c) => p + c.toLowerCase()));
      if (partial.length > MAX_EXPANDED_NEEDLES)
        throw new RuleFileError(
          `${where}: binary needle ${JSON.stringify(spec)} expands to too many literals`,
        );
    }
    for (const p of partial) out.add(p);
  }
  if (out.size > MAX_EXPANDED_NEEDLES)
    throw new RuleFileError(`${where}: binary needles expand to more than ${MAX_EXPANDED_NEEDLES} literals`);
  return [...out];
}

/** A class body ("0-9A-Za-z)]") as a byte table (as written: case is not folded here). */
function classBytes(body: string, where: string): Uint8Array {
  const table = new Uint8Array(256);
  for (const c of classMembers(body, where)) table[c.charCodeAt(0)] = 1;
  return table;
}

function classMembers(body: string, where: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c.charCodeAt(0) > 0x7f) throw new RuleFileError(`${where}: binary needle classes must be ASCII`);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const to = body.charCodeAt(i + 2);
      for (let x = c.charCodeAt(0); x <= to; x++) out.add(String.fromCharCode(x));
      i += 2;
    } else out.add(c);
  }
  return [...out];
}

/**
 * A pattern for byte views: each non-ASCII literal character becomes its UTF-8 bytes. Inside a
 * character class that cannot work, so rules keep classes ASCII (negated classes still match
 * any byte of a multi-byte character).
 */
function utf8Literals(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    if (c.charCodeAt(0) > 0x7f) {
      if (inClass) throw new Error('non-ASCII character inside a character class');
      out += `(?:${[...Buffer.from(c, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')})`;
    } else out += c;
  }
  return out;
}

let builtin: RuleSet | null = null;

/** The rules shipped in resources/redaction/default.json. */
export function defaultRules(): RuleSet {
  if (!builtin) {
    const c = compileRuleFile(defaultRuleFile, 'resources/redaction/default.json');
    builtin = { names: [c.name], rules: c.rules };
  }
  return builtin;
}

/**
 * Built-in rules plus any `*.json` rule files the user put in `<dataDir>/redaction/`. A user
 * rule with a built-in id replaces it; a broken file is reported, never silently skipped.
 */
export function loadRules(userDir?: string): { set: RuleSet; errors: string[] } {
  const base = defaultRules();
  if (!userDir) return { set: base, errors: [] };
  let names: string[];
  try {
    names = readdirSync(userDir)
      .filter((n) => n.toLowerCase().endsWith('.json'))
      .sort();
  } catch {
    return { set: base, errors: [] };
  }
  const errors: string[] = [];
  const byId = new Map(base.rules.map((r) => [r.id, r]));
  const setNames = [...base.names];
  for (const n of names) {
    try {
      const c = compileRuleFile(JSON.parse(readFileSync(join(userDir, n), 'utf8')), n);
      for (const r of c.rules) byId.set(r.id, r);
      setNames.push(c.name);
    } catch (e) {
      errors.push(e instanceof RuleFileError ? e.message : `${n}: ${(e as Error).message}`);
    }
  }
  return { set: { names: setNames, rules: [...byId.values()] }, errors };
}
