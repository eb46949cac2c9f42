import { iniGet, parseQtIni, type IniProblem } from './qt-ini';

/**
 * What CTD Workbench needs from an instance's ModOrganizer.ini: the game, the selected
 * profile and where the instance keeps mods, profiles and overwrite. Paths come back as
 * written (Windows separators kept) with `%BASE_DIR%` expanded; relative ones are relative to
 * the instance folder and resolved by the caller, which knows where the file was.
 */
export interface Mo2InstanceIni {
  gameName: string | null;
  gamePath: string | null;
  /** The profile MO2 had selected when it last saved its settings. */
  selectedProfile: string | null;
  /** Settings/base_directory, or null for "the instance folder". */
  baseDirectory: string | null;
  modDirectory: string;
  profilesDirectory: string;
  overwriteDirectory: string;
  downloadDirectory: string;
  /** MO2's own version that wrote the file (General/version), when present. */
  version: string | null;
  problems: IniProblem[];
}

const BASE_DIR = /%BASE_DIR%/gi;

/** Default folder names MO2 uses inside the base directory. */
const DEFAULTS = { mods: 'mods', profiles: 'profiles', overwrite: 'overwrite', downloads: 'downloads' };

export function parseModOrganizerIni(text: string): Mo2InstanceIni {
  const ini = parseQtIni(text);
  const problems = [...ini.problems];
  const get = (section: string, key: string) => {
    const v = iniGet(ini, section, key);
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const base = get('Settings', 'base_directory');
  const baseOrDot = base ?? '.';
  const dir = (key: string, fallback: string) => {
    const v = get('Settings', key);
    const raw = v ?? `%BASE_DIR%/${fallback}`;
    return raw.replace(BASE_DIR, () => baseOrDot.replace(/[\\/]+$/, ''));
  };
  const gameName = get('General', 'gameName');
  if (!gameName) problems.push({ line: 0, message: 'no General/gameName: the managed game is unknown' });
  return {
    gameName,
    gamePath: get('General', 'gamePath'),
    selectedProfile: get('General', 'selected_profile'),
    baseDirectory: base,
    modDirectory: dir('mod_directory', DEFAULTS.mods),
    profilesDirectory: dir('profiles_directory', DEFAULTS.profiles),
    overwriteDirectory: dir('overwrite_directory', DEFAULTS.overwrite),
    downloadDirectory: dir('download_directory', DEFAULTS.downloads),
    version: get('General', 'version'),
    problems,
  };
}
