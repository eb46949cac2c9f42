import { z } from 'zod';
import { channel, event } from './define';

export const FolderSuggestion = z.object({ path: z.string(), label: z.string(), exists: z.boolean() });

/** The folders the workbench indexes (remembered in settings) and their scan progress. */
export const foldersChannels = {
  'folders:list': channel(z.object({}), z.array(z.string()), 'Folders remembered in settings.'),
  'folders:add': channel(
    z.object({ path: z.string().min(1).max(4096) }),
    z.array(z.string()),
    'Remember a folder and scan it.',
  ),
  'folders:remove': channel(
    z.object({ path: z.string() }),
    z.array(z.string()),
    'Forget a folder (its incidents leave the index).',
  ),
  'folders:suggest': channel(
    z.object({}),
    z.array(FolderSuggestion),
    'Usual SkyrimDiag / SKSE / Buffout / MO2 output folders on this machine.',
  ),
} as const;

export const foldersEvents = {
  'scan:progress': event(
    z.object({ folder: z.string(), filesSeen: z.number().int(), done: z.boolean() }),
    'Scan progress.',
  ),
} as const;
