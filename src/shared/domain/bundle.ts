import { z } from 'zod';
import { ArtifactRole, IncidentKind, IncidentSource, IncidentStatus, Verdict } from './incident';

/**
 * A redaction report says how many values each rule replaced in each file. It never holds an
 * original value: only rule ids, counts and the pseudonym tokens that now stand in the files.
 */
export const RedactionCategory = z.enum([
  'user',
  'machine',
  'org',
  'email',
  'ip',
  'secret',
  'jwt',
  'steam',
  'epic',
  'gog',
  'card',
  'phone',
  'sid',
  'word',
]);
export type RedactionCategory = z.infer<typeof RedactionCategory>;

export const FileTreatment = z.enum(['redacted-text', 'sanitized-dump', 'copied', 'generated']);
export type FileTreatment = z.infer<typeof FileTreatment>;

export const RedactionFileReport = z.object({
  name: z.string(),
  treatment: FileTreatment,
  /** rule id → replacements in this file. */
  hits: z.record(z.string(), z.number().int().min(0)),
  total: z.number().int().min(0),
});
export type RedactionFileReport = z.infer<typeof RedactionFileReport>;

export const RedactionReport = z.object({
  version: z.literal(1),
  /** Rule sets applied, e.g. "default@1", plus "user-words" when the setting has words. */
  ruleSets: z.array(z.string()),
  totalHits: z.number().int().min(0),
  rules: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      category: RedactionCategory,
      hits: z.number().int().min(0),
    }),
  ),
  files: z.array(RedactionFileReport),
  /** The stand-ins used in this bundle: token (e.g. "<user>"), its category and where it was learned. */
  pseudonyms: z.array(
    z.object({
      token: z.string(),
      category: RedactionCategory,
      learnedFrom: z.string(),
    }),
  ),
  notes: z.array(z.string()),
});
export type RedactionReport = z.infer<typeof RedactionReport>;

export const BUNDLE_FORMAT = 'ctd-workbench-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export const BundlePreset = z.enum(['public', 'private']);
export type BundlePreset = z.infer<typeof BundlePreset>;

export const BundleFile = z.object({
  /** Entry name in the zip (flat, no folders; already redacted). */
  name: z.string().min(1).max(255),
  role: ArtifactRole,
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  treatment: FileTreatment,
});
export type BundleFile = z.infer<typeof BundleFile>;

/** `bundle.json`: the first thing an importer reads (see resources/redaction/FORMAT.md). */
export const BundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  format_version: z.number().int().min(1),
  app_version: z.string(),
  created_at: z.string(),
  preset: BundlePreset,
  redacted: z.boolean(),
  incident: z.object({
    kind: IncidentKind,
    /** Local wall-clock ISO of the capture (what grouping reads back). */
    capturedAt: z.string(),
    source: IncidentSource,
    title: z.string(),
    signature: z.string().nullable(),
    verdict: Verdict.nullable(),
    notes: z.string().optional(),
    /** Triage status when exported (restored on import with the notes). */
    status: IncidentStatus.optional(),
  }),
  files: z.array(BundleFile),
  excluded: z.array(z.object({ name: z.string(), role: ArtifactRole, reason: z.string() })),
  redaction: RedactionReport.nullable(),
  warnings: z.array(z.string()),
});
export type BundleManifest = z.infer<typeof BundleManifest>;
