import type { CliCommand } from '../types';

/** A command by name; its module (and everything it imports) loads only when it runs. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

/**
 * Every CLI command, one module each. Features add their command here (one line each), as a
 * dynamic import: `analyze` must not pay for SQLite, export or capture code it never uses.
 */
export const commands: CommandEntry[] = [
  { name: 'scan', load: async () => (await import('./incidents')).scanCommand },
  { name: 'list', load: async () => (await import('./incidents')).listCommand },
  { name: 'show', load: async () => (await import('./incidents')).showCommand },
  { name: 'analyze', load: async () => (await import('./analyze')).analyzeCommand },
  { name: 'capture', load: async () => (await import('./capture')).captureCommand },
  { name: 'hang', load: async () => (await import('./hang')).hangCommand },
  { name: 'etw', load: async () => (await import('./etw')).etwCommand },
  { name: 'trends', load: async () => (await import('./trends')).trendsCommand },
  { name: 'export', load: async () => (await import('./bundle')).exportCommand },
  { name: 'import', load: async () => (await import('./bundle')).importCommand },
  { name: 'setup', load: async () => (await import('./setup')).setupCommand },
  { name: 'loadorder', load: async () => (await import('./setup')).loadorderCommand },
  { name: 'bisect', load: async () => (await import('./setup')).bisectCommand },
  { name: 'timeline', load: async () => (await import('./timeline')).timelineCommand },
];

/** Every command loaded, in table order (the overall help lists their summaries). */
export function loadAllCommands(): Promise<CliCommand[]> {
  return Promise.all(commands.map((c) => c.load()));
}
