import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { IncidentKind } from '../../../shared/domain/incident';
import { ParseError } from '../../formats/common/parse-error';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { parseJsonText } from '../../../shared/text';
import { issuePath } from '../../../shared/zod-issues';

/** The fields of a SkyrimDiag incident manifest we rely on (skyrimdiag-artifacts.md §4). */
export const IncidentManifest = z.looseObject({
  schema: z.object({ name: z.literal('SkyrimDiagIncident'), version: z.number().int() }),
  incident_id: z.string(),
  capture_kind: z.enum(['crash', 'hang', 'manual', 'crash_recapture']),
  timestamp_local: z.string(),
  pid: z.number().int().nonnegative(),
  state_flags: z.number().int().nonnegative().optional(),
  artifacts: z.looseObject({
    dump: z.string(),
    wct: z.string().optional(),
    etw: z.string().optional(),
    etw_status: z.string().optional(),
    helper_log: z.string().optional(),
  }),
  privacy: z.looseObject({}).optional(),
  context: z.looseObject({}).optional(),
  capture_profile: z.looseObject({}).optional(),
  recapture_evaluation: z.looseObject({}).optional(),
  config_snapshot: z.looseObject({}).optional(),
});
export type IncidentManifest = z.infer<typeof IncidentManifest>;

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function analyzeManifestText(text: string, file: string): AnalyzerOutput {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new ParseError(`not valid JSON (${(e as Error).message})`, {
      file,
      field: 'json',
      offset: pos ? Number(pos) : 0,
      code: 'bad_json',
    });
  }
  const parsed = IncidentManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issuePath(issue);
    const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more)` : '';
    throw new ParseError(`manifest field "${field}": ${issue.message}${more}`, {
      file,
      field,
      code: 'bad_field',
    });
  }
  const m = parsed.data;
  const kind: IncidentKind = m.capture_kind === 'crash_recapture' ? 'crash' : m.capture_kind;
  const flags = m.state_flags ?? 0;
  const state = [flags & 1 ? 'frozen' : '', flags & 2 ? 'loading' : '', flags & 4 ? 'in menu' : ''].filter(
    Boolean,
  );
  return {
    kind,
    searchText: [m.incident_id, m.capture_kind, m.artifacts.etw_status ?? '', ...state].join(' '),
    facts: { manifest: m },
  };
}

export const manifestAnalyzer: ArtifactAnalyzer = {
  name: 'skyrimdiag-manifest',
  roles: ['manifest'],
  async analyze(path) {
    return manifestFromBytes(await readFile(path), path);
  },
  analyzeBytes: (buf, path) => manifestFromBytes(buf, path),
};

function manifestFromBytes(buf: Buffer, path: string): AnalyzerOutput {
  if (buf.length > MAX_MANIFEST_BYTES)
    throw new ParseError(`manifest is ${buf.length} bytes; the limit is ${MAX_MANIFEST_BYTES}`, {
      file: path,
      field: 'size',
      code: 'too_large',
    });
  return analyzeManifestText(buf.toString('utf8'), path);
}
