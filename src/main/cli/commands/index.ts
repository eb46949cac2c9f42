import type { CliCommand } from '../types';

/**
 * A command by name; its module (and everything it imports) loads only when it runs. The
 * one-line summary lives here, not in the module, so the overall help and an unknown command's
 * message load no command at all (they loaded all fourteen modules, the store, export and capture
 * code under them and ~830 zod schemas, to print one line each).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}

/**
 * Every CLI command, one module each. Features add their command here (name, summary, loader), as a
 * dynamic import: `analyze` must not pay for SQLite, export or capture code it never uses.
 */
export const commands: CommandEntry[] = [
  {
    name: 'scan',
    summary: 'Find and index incidents in one or more folders',
    load: async () => (await import('./incidents')).scanCommand,
  },
  {
    name: 'list',
    summary: 'List indexed incidents, newest first',
    load: async () => (await import('./incidents')).listCommand,
  },
  {
    name: 'show',
    summary: 'Show one incident: verdict, suspects and files',
    load: async () => (await import('./incidents')).showCommand,
  },
  {
    name: 'analyze',
    summary: 'Analyze a minidump or a crash log (Crash Logger, Buffout 4, NetScriptFramework, Trainwreck)',
    load: async () => (await import('./analyze')).analyzeCommand,
  },
  {
    name: 'capture',
    summary: 'Capture a running process: dump + wait chains (+ ETW window), SkyrimDiag-named files (Windows)',
    load: async () => (await import('./capture')).captureCommand,
  },
  {
    name: 'hang',
    summary: 'Explain a hang from a WCT JSON file: verdict, deadlock cycles, wait chains',
    load: async () => (await import('./hang')).hangCommand,
  },
  {
    name: 'etw',
    summary: 'Summarise an ETW trace (.etl): providers, events, CPU, waits, I/O, main thread',
    load: async () => (await import('./etw')).etwCommand,
  },
  {
    name: 'trends',
    summary: 'Crash/hang trends, top buckets, module participation and the install health score',
    load: async () => (await import('./trends')).trendsCommand,
  },
  {
    name: 'export',
    summary: 'Write a shareable bundle (.zip) of an incident: redacted unless --private',
    load: async () => (await import('./bundle')).exportCommand,
  },
  {
    name: 'import',
    summary: 'Import a bundle (.zip): verify hashes, refuse unsafe zips, index it as an incident',
    load: async () => (await import('./bundle')).importCommand,
  },
  {
    name: 'setup',
    summary:
      'Read a Mod Organizer 2 instance or Vortex deployment: profiles, plugins, mods and the DLLs they ship',
    load: async () => (await import('./setup')).setupCommand,
  },
  {
    name: 'loadorder',
    summary:
      'What changed in the mod setup before a crash: added, removed, updated and moved plugins and mods',
    load: async () => (await import('./setup')).loadorderCommand,
  },
  {
    name: 'bisect',
    summary: 'Guided bisect over an MO2 profile: test profiles with half the suspects, until one is left',
    load: async () => (await import('./setup')).bisectCommand,
  },
  {
    name: 'timeline',
    summary: "One incident's events from all its files on one clock, nearest the crash or freeze",
    load: async () => (await import('./timeline')).timelineCommand,
  },
];
