import { z } from 'zod';
import { channel } from './define';

/** Desktop-shell channels: native dialogs and triage notes. */
export const appChannels = {
  'dialog:openFolder': channel(
    z.object({ title: z.string().max(200).optional() }),
    z.string().nullable(),
    'Native folder picker (Electron); null when cancelled or in serve mode, where the UI asks for a path.',
  ),
  'incidents:setNotes': channel(
    z.object({ id: z.string(), notes: z.string().max(100_000) }),
    z.object({ ok: z.boolean() }),
    'Free-text triage notes of one incident (kept with its status).',
  ),
} as const;
