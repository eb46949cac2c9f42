import systemList from '../../../../resources/modules/system.json';
import gameList from '../../../../resources/modules/game.json';

export type ModuleRole = 'system' | 'game' | 'other';

const exact = (l: string[]): Set<string> => new Set(l.filter((m) => !m.endsWith('*')));
const prefixes = (l: string[]): string[] => l.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1));
const SYSTEM = exact(systemList.modules);
const SYSTEM_PREFIX = prefixes(systemList.modules);
const GAME = exact(gameList.modules);

/** Whether a module is the OS/driver/runtime, the game itself, or something a player installed. */
export function moduleRole(name: string): ModuleRole {
  const n = name.toLowerCase();
  if (SYSTEM.has(n) || SYSTEM_PREFIX.some((p) => n.startsWith(p))) return 'system';
  if (GAME.has(n)) return 'game';
  return 'other';
}
