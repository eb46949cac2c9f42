import { z } from 'zod';
import { Severity } from './finding';

/**
 * Known-issue rule files (resources/rules/*.json and the user's own folder). The format is
 * documented in resources/rules/README.md; bump RULES_FORMAT_VERSION only for changes an
 * older reader would misread (new condition kinds are additions, not a new version).
 */
export const RULES_FORMAT = 'ctd-workbench-rules';
export const RULES_FORMAT_VERSION = 1;

export const GameFamily = z.enum(['skyrim', 'fallout4']);
export type GameFamily = z.infer<typeof GameFamily>;

const LoggerName = z.enum(['crashlogger', 'buffout4', 'netscriptframework', 'trainwreck', 'minidump']);

/**
 * Parts of a log a rule can depend on. A pasted log often lacks some of them (cut before the
 * module or plugin list, stack only); a rule never fires when a part it needs is missing.
 */
export const LogSection = z.enum([
  'exception',
  'stack',
  'registers',
  'objects',
  'modules',
  'plugins',
  'settings',
  'system',
]);
export type LogSection = z.infer<typeof LogSection>;

/** Substring (default) or regular-expression test on a piece of text; case-insensitive unless asked. */
export const TextMatch = z
  .object({
    contains: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    equals: z.string().optional(),
    caseSensitive: z.boolean().optional(),
    /** Match only when the text occurs at least this many times (contains/regex). */
    minCount: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((m) => [m.contains, m.regex, m.equals].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of contains, regex, equals',
  });
export type TextMatch = z.infer<typeof TextMatch>;

/** A file name (module, plugin): a plain string is an exact, case-insensitive name. */
export const NameMatch = z.union([z.string().min(1), TextMatch]);
export type NameMatch = z.infer<typeof NameMatch>;

/** Dotted versions compared numerically ("1.6.1170" > "1.6.640"); all bounds must hold. */
export const VersionRange = z
  .object({
    eq: z.string().optional(),
    lt: z.string().optional(),
    lte: z.string().optional(),
    gt: z.string().optional(),
    gte: z.string().optional(),
  })
  .strict();
export type VersionRange = z.infer<typeof VersionRange>;

export const NumberRange = z
  .object({
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
  })
  .strict();
export type NumberRange = z.infer<typeof NumberRange>;

/** A condition tree: combinators plus one leaf kind per object. See resources/rules/README.md. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { game: GameFamily }
  | { logger: z.infer<typeof LoggerName> | z.infer<typeof LoggerName>[] }
  | { gameVersion: VersionRange }
  | { loggerVersion: VersionRange }
  | { mainError: TextMatch }
  | { exception: { name?: NameMatch | undefined; code?: number | undefined } }
  | { faultingModule: { name: NameMatch; offset?: string | undefined } }
  | { callStack: TextMatch }
  | {
      frames: {
        module?: NameMatch | undefined;
        symbol?: TextMatch | undefined;
        addressId?: string | undefined;
        top?: number | undefined;
      };
    }
  | { relevantObjects: TextMatch }
  | { text: TextMatch }
  | { bucket: string }
  | { culprit: NameMatch }
  | { module: { name: NameMatch; version?: VersionRange | undefined } }
  | { plugin: { name: NameMatch } }
  | { pluginOrder: { first: NameMatch; then: NameMatch } }
  | { setting: { section?: string | undefined; key: string; equals: string } }
  | {
      memory: {
        kind: 'ram' | 'vram' | 'pagefile';
        freeGb?: NumberRange | undefined;
        totalGb?: NumberRange | undefined;
        usedPercent?: NumberRange | undefined;
      };
    }
  | {
      loadOrder: {
        listed?: boolean | undefined;
        regular?: NumberRange | undefined;
        light?: NumberRange | undefined;
        total?: NumberRange | undefined;
        alphabetizedPercent?: NumberRange | undefined;
      };
    };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
    z.object({ game: GameFamily }).strict(),
    z.object({ logger: z.union([LoggerName, z.array(LoggerName).min(1)]) }).strict(),
    z.object({ gameVersion: VersionRange }).strict(),
    z.object({ loggerVersion: VersionRange }).strict(),
    z.object({ mainError: TextMatch }).strict(),
    z
      .object({
        exception: z
          .object({ name: NameMatch.optional(), code: z.number().int().min(0).max(0xffffffff).optional() })
          .strict(),
      })
      .strict(),
    z
      .object({
        faultingModule: z
          .object({
            name: NameMatch,
            offset: z
              .string()
              .regex(/^(0x)?[0-9a-fA-F]+$/)
              .optional(),
          })
          .strict(),
      })
      .strict(),
    z.object({ callStack: TextMatch }).strict(),
    z
      .object({
        frames: z
          .object({
            module: NameMatch.optional(),
            symbol: TextMatch.optional(),
            /** Address Library id the logger printed for the frame ("68233" matches "-> 68233+0x2F"). */
            addressId: z
              .string()
              .regex(/^[0-9]{1,9}$/)
              .optional(),
            top: z.number().int().min(1).max(1000).optional(),
          })
          .strict(),
      })
      .strict(),
    z.object({ relevantObjects: TextMatch }).strict(),
    z.object({ text: TextMatch }).strict(),
    /** The incident's stable bucket, exactly (docs/SIGNATURES.md): rules the player confirmed. */
    z.object({ bucket: z.string().min(1).max(4000) }).strict(),
    /** The probable cause's subject ("SmartHarvestSE.dll"): the culprit key's name. */
    z.object({ culprit: NameMatch }).strict(),
    z.object({ module: z.object({ name: NameMatch, version: VersionRange.optional() }).strict() }).strict(),
    z.object({ plugin: z.object({ name: NameMatch }).strict() }).strict(),
    z.object({ pluginOrder: z.object({ first: NameMatch, then: NameMatch }).strict() }).strict(),
    z
      .object({
        setting: z
          .object({ section: z.string().optional(), key: z.string().min(1), equals: z.string() })
          .strict(),
      })
      .strict(),
    z
      .object({
        memory: z
          .object({
            kind: z.enum(['ram', 'vram', 'pagefile']),
            freeGb: NumberRange.optional(),
            totalGb: NumberRange.optional(),
            usedPercent: NumberRange.optional(),
          })
          .strict(),
      })
      .strict(),
    z
      .object({
        loadOrder: z
          .object({
            listed: z.boolean().optional(),
            regular: NumberRange.optional(),
            light: NumberRange.optional(),
            total: NumberRange.optional(),
            alphabetizedPercent: NumberRange.optional(),
          })
          .strict(),
      })
      .strict(),
  ]),
);

/** Another analyzer's name for the same issue (used by the agreement tests and shown as "also known as"). */
export const RuleAlias = z.object({ tool: z.string().min(1), name: z.string().min(1) }).strict();

export const Rule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'lower-case letters, digits and dashes'),
    /** Which game the rule is about; "any" rules run on every log. */
    game: z.union([GameFamily, z.literal('any')]).default('any'),
    severity: Severity,
    title: z.string().min(1).max(200),
    explanation: z.string().min(1).max(4000),
    fix: z.string().min(1).max(4000),
    link: z.string().url().optional(),
    match: Condition,
    aka: z.array(RuleAlias).default([]),
    tags: z.array(z.string()).default([]),
    /** Where the facts behind the rule come from (mod pages, issue threads, logger docs). */
    sources: z.array(z.string().url()).optional(),
    /**
     * Log parts the rule needs on top of those its conditions imply (a "not" over a module,
     * plugin, setting or object needs that list; load-order conditions need the plugin list).
     */
    requires: z.array(LogSection).optional(),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const RuleFile = z
  .object({
    format: z.literal(RULES_FORMAT),
    version: z.literal(RULES_FORMAT_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    rules: z.array(Rule),
  })
  .strict();
export type RuleFile = z.infer<typeof RuleFile>;

/** A loaded rule file, or why it could not be used (shown in the Crash log tab's rule list). */
export const RuleSetInfo = z.object({
  name: z.string(),
  origin: z.enum(['bundled', 'user']),
  path: z.string().nullable(),
  rules: z.number().int(),
  error: z.string().nullable(),
});
export type RuleSetInfo = z.infer<typeof RuleSetInfo>;
