import { z } from 'zod';
import { channel, event } from './define';
import { BundleManifest, BundlePreset, FileTreatment, RedactionReport } from '../domain/bundle';
import { ArtifactRole } from '../domain/incident';

/** Largest bundle the serve-mode upload accepts (a dropped file has no path in a browser). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
/** Bytes per upload/download chunk (base64 in a JSON frame stays far below the bridge's 16 MB cap). */
export const TRANSFER_CHUNK_BYTES = 1024 * 1024;

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const ExportOptions = z.object({
  incidentId: z.string().min(1),
  preset: BundlePreset.default('public'),
  /** Artifacts to include; default all (ETL only with includeEtl). */
  artifactIds: z.array(z.number().int()).max(10_000).optional(),
  /** ETL traces cannot be redacted: public bundles leave them out unless this is set. */
  includeEtl: z.boolean().default(false),
  /** Dumps keep thread stacks only (smaller, less private memory). */
  stacksOnly: z.boolean().default(false),
});
export type ExportOptions = z.infer<typeof ExportOptions>;

export const PreviewFile = z.object({
  artifactId: z.number().int(),
  name: z.string(),
  /** Name in the bundle (redacted in public bundles). */
  entryName: z.string(),
  role: ArtifactRole,
  size: z.number(),
  included: z.boolean(),
  treatment: FileTreatment.nullable(),
  /** Why excluded, or a caution ("ETL cannot be redacted"). */
  note: z.string().nullable(),
  hits: z.number().int(),
  /** A few redacted lines showing the stand-ins in context (never the original values). */
  samples: z.array(z.string()),
});
export type PreviewFile = z.infer<typeof PreviewFile>;

export const BundlePreview = z.object({
  preset: BundlePreset,
  files: z.array(PreviewFile),
  report: RedactionReport.nullable(),
  warnings: z.array(z.string()),
  /** Bytes that would be read (for the progress bar). */
  totalBytes: z.number(),
});
export type BundlePreview = z.infer<typeof BundlePreview>;

export const ExportResult = z.object({
  jobId: z.string(),
  /** Download handle for bundles written to the workbench's exports folder. */
  exportId: z.string().nullable(),
  path: z.string(),
  fileName: z.string(),
  size: z.number(),
  sha256: z.string(),
  manifest: BundleManifest,
  /** Entries in the zip: the files, report.md and bundle.json (what a zip tool lists). */
  entries: z.number().int(),
  durationMs: z.number(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const ImportResult = z.object({
  incidentId: z.string().nullable(),
  dir: z.string(),
  alreadyImported: z.boolean(),
  manifest: BundleManifest,
  /** Entries of the bundle (its files, report.md and bundle.json), as a zip tool lists them. */
  files: z.number().int(),
  warnings: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const BundleInfo = z.object({
  incidentId: z.string(),
  manifest: BundleManifest,
  /** Files present in the imported folder that bundle.json does not list (should be none). */
  extraFiles: z.array(z.string()),
});
export type BundleInfo = z.infer<typeof BundleInfo>;

export const IssueReport = z.object({
  markdown: z.string(),
  length: z.number().int(),
  redacted: z.boolean(),
  /** Sections shortened to stay under GitHub's 65,536-character issue body limit. */
  truncated: z.array(z.string()),
});
export type IssueReport = z.infer<typeof IssueReport>;

/** Words always replaced in public bundles and issue reports (nicknames, a server name…). */
const ExtraWords = z.array(z.string().min(1).max(200)).max(500);

export const RedactionSettings = z.object({
  extraWords: ExtraWords,
  /** Where extra rule files (*.json, resources/redaction/FORMAT.md) are read from. */
  rulesDir: z.string(),
  ruleSets: z.array(z.string()),
  ruleErrors: z.array(z.string()),
});
export type RedactionSettings = z.infer<typeof RedactionSettings>;

export const bundleChannels = {
  'bundle:preview': channel(
    ExportOptions,
    BundlePreview,
    'What an export would contain and replace (counts and redacted samples), without writing anything.',
  ),
  'bundle:saveDialog': channel(
    ExportOptions.pick({ incidentId: true, preset: true }),
    z.object({ token: Id, fileName: z.string(), path: z.string() }).nullable(),
    'Desktop: the native save dialog for a bundle (it asks before replacing a file); the token names the chosen destination for bundle:export. Null when cancelled, and in serve mode, where bundles are downloaded.',
  ),
  'bundle:export': channel(
    ExportOptions.extend({
      /** Chosen by the caller so it can cancel before the call returns. */
      jobId: Id,
      /**
       * Where the user chose to save it (a bundle:saveDialog token). Without one the bundle goes
       * to the workbench's exports folder, under a name not yet taken, for bundle:download. The
       * renderer never names a path: only the user, in the dialog, does.
       */
      saveToken: Id.optional(),
    }),
    ExportResult,
    'Write a bundle (.zip): bundle.json, report.md and the artifacts, redacted unless preset is private. Progress via bundle:progress. Fails with the reason when nothing is left to include.',
  ),
  'bundle:cancel': channel(
    z.object({ jobId: Id }),
    z.object({ cancelled: z.boolean() }),
    'Cancel a running export; no partial file is left behind.',
  ),
  'bundle:download': channel(
    z.object({
      exportId: Id,
      offset: z.number().int().min(0),
      length: z.number().int().min(1).max(TRANSFER_CHUNK_BYTES),
    }),
    z.object({ data: z.string(), size: z.number(), done: z.boolean() }),
    'A chunk (base64) of a bundle in the exports folder, so a browser can save it.',
  ),
  'bundle:importFile': channel(
    z.object({ path: z.string().min(1).max(4096) }),
    ImportResult,
    'Import a bundle .zip the user picked or dropped (or one inside a folder they added): verify, extract into the imports folder, index it as an incident.',
  ),
  'bundle:uploadBegin': channel(
    z.object({ name: z.string().min(1).max(255), size: z.number().int().min(1).max(MAX_UPLOAD_BYTES) }),
    z.object({ uploadId: z.string() }),
    'Start uploading a dropped bundle (serve mode: the browser has its bytes, not its path).',
  ),
  'bundle:uploadChunk': channel(
    z.object({
      uploadId: Id,
      offset: z.number().int().min(0),
      data: z.string().max(Math.ceil(TRANSFER_CHUNK_BYTES / 3) * 4 + 4),
    }),
    z.object({ received: z.number() }),
    'Next chunk (base64, in order) of an upload.',
  ),
  'bundle:uploadEnd': channel(z.object({ uploadId: Id }), ImportResult, 'Finish an upload and import it.'),
  'bundle:uploadAbort': channel(z.object({ uploadId: Id }), z.object({ ok: z.boolean() }), 'Drop an upload.'),
  'bundle:info': channel(
    z.object({ incidentId: z.string() }),
    BundleInfo.nullable(),
    'bundle.json of an imported bundle incident (file list, redaction report); null for other incidents.',
  ),
  'bundle:issue': channel(
    z.object({ incidentId: z.string(), redact: z.boolean().default(true) }),
    IssueReport,
    'Markdown for a GitHub / Nexus Mods bug report, redacted like a public bundle.',
  ),
  'bundle:settings': channel(z.object({}), RedactionSettings, 'Redaction settings: extra words, rule files.'),
  'bundle:setSettings': channel(
    z.object({ extraWords: ExtraWords }),
    RedactionSettings,
    'Save the words always redacted.',
  ),
} as const;

export const bundleEvents = {
  'bundle:progress': event(
    z.object({
      jobId: z.string(),
      phase: z.enum(['discover', 'sanitize', 'redact', 'zip', 'done', 'failed', 'cancelled']),
      bytesDone: z.number(),
      bytesTotal: z.number(),
      file: z.string().nullable(),
      message: z.string(),
    }),
    'Export progress: phase, bytes processed of the total, the file being processed.',
  ),
} as const;
