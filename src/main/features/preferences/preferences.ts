import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_RETENTION_BYTES, Preferences, Retention } from '../../../shared/contract/preferences';
import { BadRequestError } from '../../dispatch-errors';
import type { SettingsAccess } from './settings-access';

/** The global capture shortcut out of the box: unlikely to be bound by the game or a mod. */
export const DEFAULT_HOTKEY = 'CommandOrControl+Shift+F12';

export const DEFAULT_PREFERENCES: Preferences = {
  captureHotkey: DEFAULT_HOTKEY,
  notifyNewIncidents: true,
  retention: { maxBytes: DEFAULT_RETENTION_BYTES, maxAgeDays: 90 },
  symbolDirs: [],
};

/**
 * Settings keys. `symbolDirs` is the key the Crash tab's handlers have always read, so a folder
 * set here is used there without a second setting.
 */
const KEY = {
  captureHotkey: 'captureHotkey',
  notifyNewIncidents: 'notifyNewIncidents',
  retention: 'retention',
  symbolDirs: 'symbolDirs',
} as const;

/** Each stored value is checked on read: a hand-edited or older value falls back to the default. */
export function readPreferences(s: SettingsAccess): Preferences {
  const pick = <K extends keyof Preferences>(k: K): Preferences[K] => {
    const parsed = Preferences.shape[k].safeParse(s.get<unknown>(KEY[k], DEFAULT_PREFERENCES[k]));
    return parsed.success ? (parsed.data as Preferences[K]) : DEFAULT_PREFERENCES[k];
  };
  return {
    captureHotkey: pick('captureHotkey'),
    notifyNewIncidents: pick('notifyNewIncidents'),
    retention: pick('retention'),
    symbolDirs: pick('symbolDirs'),
  };
}

/** Saves the given fields (already schema-checked); symbol folders must be existing folders. */
export function writePreferences(
  s: SettingsAccess,
  patch: Partial<Preferences>,
  cwd = process.cwd(),
): Preferences {
  if (patch.symbolDirs) patch = { ...patch, symbolDirs: checkFolders(patch.symbolDirs, cwd) };
  if (patch.retention) patch = { ...patch, retention: Retention.parse(patch.retention) };
  for (const k of Object.keys(patch) as (keyof Preferences)[])
    if (patch[k] !== undefined) s.set(KEY[k], patch[k]);
  return readPreferences(s);
}

function checkFolders(dirs: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const abs = isAbsolute(d) ? d : resolve(cwd, d);
    if (!isFolder(abs)) throw new BadRequestError(`Not a folder: ${abs}`);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
