import { iniGet, parseQtIni, type IniProblem } from './qt-ini';

/** What a mod's meta.ini (written by MO2 at install) says about where the mod came from. */
export interface ModMeta {
  gameName: string | null;
  /** Nexus Mods id; null when 0, negative or absent (a manual install). */
  nexusId: number | null;
  /** The installed version for display ("5.2", "1.0.3b"), or null. */
  version: string | null;
  /** The version as MO2 stored it ("f1.05", "d2024.3.1.0", "1.2.0.0"). */
  rawVersion: string | null;
  newestVersion: string | null;
  installationFile: string | null;
  url: string | null;
  repository: string | null;
  problems: IniProblem[];
}

export function parseMetaIni(text: string): ModMeta {
  const ini = parseQtIni(text);
  const get = (key: string) => {
    const v = iniGet(ini, 'General', key)?.trim();
    return v ? v : null;
  };
  const problems = [...ini.problems];
  const idText = get('modid');
  let nexusId: number | null = null;
  if (idText !== null) {
    const n = Number(idText);
    if (Number.isSafeInteger(n) && n > 0) nexusId = n;
    else if (!/^-?\d+$/.test(idText)) problems.push({ line: 0, message: `modid is not a number: ${idText}` });
  }
  const rawVersion = get('version');
  return {
    gameName: get('gameName'),
    nexusId,
    version: rawVersion ? displayVersion(rawVersion) : null,
    rawVersion,
    newestVersion: (() => {
      const v = get('newestVersion');
      return v ? displayVersion(v) : null;
    })(),
    installationFile: get('installationFile'),
    url: get('url'),
    repository: get('repository'),
    problems,
  };
}

/**
 * MO2 stores versions with a scheme letter in front (`f` decimal mark, `n` numbers and
 * letters, `d` a date) and the regular scheme padded to four parts ("5.2.0.0"). Shown the way
 * MO2's own list shows them: no scheme letter, trailing ".0" parts dropped down to two.
 */
export function displayVersion(raw: string): string {
  let v = raw.trim();
  if (/^[fnd]\d/.test(v)) v = v.slice(1);
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v);
  if (!m) return v;
  const parts = m[1]!.split('.');
  while (parts.length > 2 && parts[parts.length - 1] === '0') parts.pop();
  return `${parts.join('.')}${m[2] ?? ''}`;
}
