import { z } from 'zod';
import { channel } from './define';

/** Desktop-shell channels: what this build is and where its data lives, native dialogs. */
export const appChannels = {
  'app:info': channel(
    z.object({}),
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'serve']),
      dataDir: z.string(),
      dbPath: z.string(),
      platform: z.string(),
    }),
    'Version, transport and where data lives.',
  ),
  'dialog:openFolder': channel(
    z.object({ title: z.string().max(200).optional() }),
    z.string().nullable(),
    'Native folder picker (Electron); null when cancelled or in serve mode, where the UI asks for a path.',
  ),
} as const;
