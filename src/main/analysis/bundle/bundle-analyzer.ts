import { readFile } from 'node:fs/promises';
import { BundleManifest } from '../../../shared/domain/bundle';
import { ParseError } from '../../formats/common/parse-error';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { parseJsonText } from '../../../shared/text';
import { formatIssues, issuePath } from '../../../shared/zod-issues';

const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/**
 * bundle.json of an imported bundle: the verdict the exporter saw (below any verdict our own
 * analyzers find in the bundled files) and the redaction report, for the Bundle tab.
 */
export const bundleAnalyzer: ArtifactAnalyzer = {
  name: 'bundle',
  roles: ['bundle'],
  async analyze(path): Promise<AnalyzerOutput> {
    const buf = await readFile(path);
    if (buf.length > MAX_MANIFEST_BYTES)
      throw new ParseError('bundle.json is too large', { file: path, field: '(root)', code: 'too_large' });
    let json: unknown;
    try {
      json = parseJsonText(buf.toString('utf8'));
    } catch (e) {
      throw new ParseError(`bundle.json is not valid JSON (${(e as Error).message})`, {
        file: path,
        field: 'json',
        code: 'bad_json',
      });
    }
    const parsed = BundleManifest.safeParse(json);
    if (!parsed.success)
      throw new ParseError(`bundle.json: ${formatIssues(parsed.error, { max: 1 })}`, {
        file: path,
        field: parsed.error.issues[0] ? issuePath(parsed.error.issues[0]) : '(root)',
        code: 'bad_field',
      });
    const m = parsed.data;
    const v = m.incident.verdict;
    return {
      kind: m.incident.kind,
      ...(v ? { verdict: { ...v, analyzer: `bundle:${v.analyzer}` }, priority: 1 } : {}),
      searchText: ['bundle', m.preset, m.incident.title, m.incident.signature ?? ''].join(' '),
      facts: {
        bundle: {
          preset: m.preset,
          redacted: m.redacted,
          createdAt: m.created_at,
          appVersion: m.app_version,
          files: m.files.length,
          totalHits: m.redaction?.totalHits ?? 0,
        },
      },
    };
  },
};
