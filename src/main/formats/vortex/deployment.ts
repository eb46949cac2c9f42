import { parseJsonText } from '../../../shared/text';

/**
 * Vortex's deployment manifest (`vortex.deployment.json`, or `vortex.deployment.<modtype>.json`
 * for mod types deployed elsewhere, e.g. `dinput` into the game root). Vortex writes one into
 * each deployment target after deploying: which file it put where and which staged mod (a
 * folder in the staging folder, marked by `__vortex_staging_folder`) it came from.
 *
 *   { version, instance, deploymentMethod?, deploymentTime?, stagingPath?, targetPath?, gameId?,
 *     files: [{ relPath, source, merged?: string[], target?: string, time }] }
 */

export interface VortexDeployedFile {
  /** Relative to the deployment target, with the separators Vortex wrote. */
  relPath: string;
  /** Staging folder name of the mod that owns the file. */
  source: string;
  /** Other mods whose copies were merged into this file. */
  merged: string[];
}

export interface VortexManifest {
  instance: string | null;
  deploymentMethod: string | null;
  deploymentTime: number | null;
  stagingPath: string | null;
  targetPath: string | null;
  gameId: string | null;
  files: VortexDeployedFile[];
  problems: string[];
}

/** Manifests list every deployed file; a big setup has a few hundred thousand. */
const MAX_FILES = 2_000_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** Never throws: a file that is not JSON, or not a manifest, yields problems and no files. */
export function parseVortexManifest(text: string): VortexManifest {
  const out: VortexManifest = {
    instance: null,
    deploymentMethod: null,
    deploymentTime: null,
    stagingPath: null,
    targetPath: null,
    gameId: null,
    files: [],
    problems: [],
  };
  let data: unknown;
  try {
    data = parseJsonText(text);
  } catch (e) {
    out.problems.push(`not JSON: ${(e as Error).message}`);
    return out;
  }
  if (!isObj(data)) {
    out.problems.push('not a deployment manifest (expected a JSON object)');
    return out;
  }
  out.instance = str(data.instance);
  out.deploymentMethod = str(data.deploymentMethod);
  out.deploymentTime =
    typeof data.deploymentTime === 'number' && Number.isFinite(data.deploymentTime)
      ? data.deploymentTime
      : null;
  out.stagingPath = str(data.stagingPath);
  out.targetPath = str(data.targetPath);
  out.gameId = str(data.gameId);
  if (!Array.isArray(data.files)) {
    out.problems.push('no "files" list: not a deployment manifest');
    return out;
  }
  let bad = 0;
  for (const f of data.files.slice(0, MAX_FILES)) {
    const relPath = isObj(f) ? str(f.relPath) : null;
    const source = isObj(f) ? str(f.source) : null;
    if (!relPath || !source) {
      bad++;
      continue;
    }
    const merged =
      isObj(f) && Array.isArray(f.merged) ? f.merged.filter((m): m is string => typeof m === 'string') : [];
    out.files.push({ relPath, source, merged });
  }
  if (data.files.length > MAX_FILES) out.problems.push(`more than ${MAX_FILES} files; the rest were skipped`);
  if (bad) out.problems.push(`${bad} file entries without relPath/source were skipped`);
  return out;
}

/**
 * What a staging folder's name says about its mod. Vortex names them after the archive, and
 * Nexus archives are named `<name>-<mod id>-<version parts>-<upload time>`, e.g.
 * "SkyUI_5_2_SE-12604-5-2SE-1574812311" → SkyUI 5 2 SE, 12604, "5.2SE".
 */
export function parseStagingFolderName(folder: string): {
  name: string;
  nexusId: number | null;
  version: string | null;
} {
  const m = /^(.+?)-(\d{1,7})-([0-9A-Za-z]+(?:-[0-9A-Za-z]+)*?)-(\d{9,11})$/.exec(folder);
  if (!m) return { name: folder, nexusId: null, version: null };
  const id = Number(m[2]);
  return {
    name: m[1]!.replace(/_/g, ' ').trim() || folder,
    nexusId: Number.isSafeInteger(id) && id > 0 ? id : null,
    version: m[3]!.replace(/-/g, '.'),
  };
}
