import { open, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { BundlePreset, FileTreatment } from '../../shared/domain/bundle';
import type { Artifact, ArtifactRole, IncidentDetail } from '../../shared/domain/incident';
import { detectTextEncoding } from '../privacy/text-file';

/**
 * Which artifacts go into a bundle and how each is treated. Public bundles redact text,
 * sanitize dumps, and leave out what cannot be redacted (ETL unless asked for, unknown
 * binaries); private bundles copy everything as it is.
 */
export interface PlanItem {
  artifact: Artifact;
  kind: 'dump' | 'text' | 'etl' | 'binary';
  included: boolean;
  treatment: FileTreatment | null;
  note: string | null;
}

export interface PlanOptions {
  preset: BundlePreset;
  artifactIds?: number[];
  includeEtl: boolean;
}

const TEXT_ROLES = new Set<ArtifactRole>([
  'manifest',
  'summary',
  'report',
  'wct',
  'blackbox',
  'crashlog',
  'threaddump',
  'papyrus',
  'pluginscan',
  'log',
  'evidence',
]);
const TEXT_EXT = /\.(json|jsonl|txt|log|ini|csv|xml|md|cfg|toml|ya?ml|html?)$/i;

export const ETL_WARNING =
  'ETL traces cannot be redacted yet: they hold system-wide events with user and machine names. Share this bundle only with people you trust.';

async function looksLikeText(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    const b = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    const head = b.subarray(0, bytesRead);
    if (detectTextEncoding(head).encoding !== 'utf8') return true;
    return !head.includes(0);
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

async function kindOf(a: Artifact): Promise<PlanItem['kind']> {
  if (a.role === 'dump') return 'dump';
  if (a.role === 'etl' || extname(a.name).toLowerCase() === '.etl') return 'etl';
  if (TEXT_ROLES.has(a.role) || TEXT_EXT.test(a.name)) return 'text';
  return (await looksLikeText(a.path)) ? 'text' : 'binary';
}

/** Files of an imported bundle that the export regenerates. */
function isGenerated(incident: IncidentDetail, a: Artifact): boolean {
  return a.role === 'bundle' || (incident.source === 'bundle' && /^report\.md$/i.test(a.name));
}

/**
 * SkyrimDiag keeps two folder-level files a developer asks for beside the incident's own: the
 * Preflight report (the setup) and the helper log (the session). They are offered as extra
 * files with negative ids; both leak the user name, so they are redacted like any text.
 */
const CONTEXT_FILES: [RegExp, ArtifactRole][] = [
  [/^SkyrimDiag_Preflight\.json$/i, 'other'],
  [/^SkyrimDiagHelper\.log$/i, 'log'],
];

async function contextFiles(incident: IncidentDetail): Promise<Artifact[]> {
  if (incident.source !== 'skyrimdiag' && incident.source !== 'capture') return [];
  const dirs = [...new Set(incident.artifacts.map((a) => dirname(a.path)))];
  const out: Artifact[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const hit = CONTEXT_FILES.find(([re]) => re.test(name));
      if (!hit || incident.artifacts.some((a) => a.name === name)) continue;
      try {
        const st = await stat(join(dir, name));
        if (!st.isFile()) continue;
        out.push({
          id: -(out.length + 1),
          incidentId: incident.id,
          role: hit[1],
          path: join(dir, name),
          name,
          size: st.size,
          mtimeMs: Math.floor(st.mtimeMs),
          sha256: null,
          parseStatus: 'skipped',
          parseError: null,
        });
      } catch {
        // Vanished between readdir and stat.
      }
    }
  }
  return out;
}

export async function planBundle(incident: IncidentDetail, o: PlanOptions): Promise<PlanItem[]> {
  const chosen = o.artifactIds ? new Set(o.artifactIds) : null;
  const items: PlanItem[] = [];
  for (const a of [...incident.artifacts, ...(await contextFiles(incident))]) {
    if (isGenerated(incident, a)) continue;
    const kind = await kindOf(a);
    const item: PlanItem = { artifact: a, kind, included: true, treatment: null, note: null };
    if (chosen && !chosen.has(a.id)) {
      item.included = false;
      item.note = 'not selected';
    } else if (kind === 'etl' && !o.includeEtl) {
      // Private or public: an ETL trace goes in only when "Include ETL traces" is ticked.
      item.included = false;
      item.note =
        o.preset === 'private'
          ? 'ETL traces are left out unless "Include ETL traces" is ticked.'
          : 'ETL traces cannot be redacted yet; include them only on purpose (private sharing).';
    } else if (o.preset === 'private') {
      item.treatment = 'copied';
      if (kind === 'etl') item.note = ETL_WARNING;
    } else if (kind === 'dump') item.treatment = 'sanitized-dump';
    else if (kind === 'text') item.treatment = 'redacted-text';
    else if (kind === 'etl') {
      item.treatment = 'copied';
      item.note = ETL_WARNING;
    } else {
      item.included = false;
      item.note = 'A binary file of unknown format cannot be redacted; left out of public bundles.';
    }
    items.push(item);
  }
  return items;
}

const RESERVED = new Set(['bundle.json', 'report.md']);

/**
 * Flat, unique (case-insensitively), filesystem-safe entry names. `rename` redacts a name for
 * public bundles; stand-ins like "<user>" become "_user_" since < > are not allowed on Windows.
 */
export function entryNames(items: PlanItem[], rename: (name: string) => string): Map<PlanItem, string> {
  const out = new Map<PlanItem, string>();
  const taken = new Set<string>(RESERVED);
  for (const it of items) {
    if (!it.included) continue;
    let name = rename(it.artifact.name)
      .replace(/[<>]/g, '_')
      .replace(/[\\/:*?"|]|\p{Cc}/gu, '_')
      .replace(/^[. ]+|[. ]+$/g, '')
      .slice(0, 200);
    if (!name) name = `file-${it.artifact.id}`;
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let candidate = name;
    for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${stem}-${i}${ext}`;
    taken.add(candidate.toLowerCase());
    out.set(it, candidate);
  }
  return out;
}
