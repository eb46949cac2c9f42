import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Artifact, IncidentDetail } from '../../src/shared/domain/incident';

/**
 * An incident made of the given files, built directly (no scan): for export tests that need an
 * exact set of files, e.g. one encoding of one planted form, or a single large log.
 */
export function fileIncident(
  id: string,
  folder: string,
  files: { path: string; role: Artifact['role'] }[],
  title = id,
): IncidentDetail {
  const artifacts: Artifact[] = files.map((f, i) => ({
    id: i + 1,
    incidentId: id,
    role: f.role,
    path: f.path,
    name: basename(f.path),
    size: statSync(f.path).size,
    mtimeMs: 0,
    sha256: null,
    parseStatus: 'ok',
    parseError: null,
  }));
  return {
    id,
    kind: 'crash',
    source: 'crashlogger',
    capturedAt: '2026-04-12T21:30:00.000',
    title,
    signature: null,
    status: 'new',
    folder,
    artifactCount: artifacts.length,
    hasErrors: false,
    verdict: null,
    artifacts,
    notes: '',
  };
}
