import { z } from 'zod';
import { channel, event } from './define';
import { acceleratorProblem } from '../domain/accelerator';
import { GameFamily } from '../domain/rules';
import { IncidentKind } from '../domain/incident';

/** 10 GiB: a few full-memory dumps of a modded game. */
export const DEFAULT_RETENTION_BYTES = 10 * 1024 ** 3;

export const Retention = z.object({
  /** Captures and imported bundles together may use this much disk; 0 = no size limit. */
  maxBytes: z
    .number()
    .int()
    .min(0)
    .max(2 ** 50),
  /** Captures and imported bundles older than this are removed; 0 = whatever their age. */
  maxAgeDays: z.number().int().min(0).max(3650),
});
export type Retention = z.infer<typeof Retention>;

export const Preferences = z.object({
  /** Global capture shortcut (Electron accelerator, e.g. "CommandOrControl+Shift+F12"); "" = off. */
  captureHotkey: z
    .string()
    .max(64)
    .refine((s) => s === '' || acceleratorProblem(s) === null, {
      message: 'not a usable shortcut (e.g. Ctrl+Shift+F12)',
    }),
  /** A desktop notification when a new crash or hang is indexed. */
  notifyNewIncidents: z.boolean(),
  retention: Retention,
  /** Breakpad symbol folders (module/id/module.sym) the Crash tab names functions from. */
  symbolDirs: z.array(z.string().min(1).max(4096)).max(20),
});
export type Preferences = z.infer<typeof Preferences>;

export const HotkeyStatus = z.object({
  state: z.enum(['active', 'off', 'failed', 'unavailable']),
  /** Why it is not active, in words (taken by another program, browser mode...). */
  message: z.string().nullable(),
});
export type HotkeyStatus = z.infer<typeof HotkeyStatus>;

export const PreferencesState = z.object({
  prefs: Preferences,
  hotkey: HotkeyStatus,
});
export type PreferencesState = z.infer<typeof PreferencesState>;

export const StorageArea = z.object({
  folder: z.string(),
  /** Captures (one per timestamp) or imported bundles (one per folder). */
  items: z.number().int(),
  bytes: z.number(),
  oldest: z.string().nullable(),
});

export const StorageUsage = z.object({
  captures: StorageArea,
  bundles: StorageArea,
  totalBytes: z.number(),
  retention: Retention,
});
export type StorageUsage = z.infer<typeof StorageUsage>;

export const RetentionReport = z.object({
  removed: z.array(
    z.object({
      path: z.string(),
      bytes: z.number(),
      reason: z.enum(['age', 'size']),
      area: z.enum(['captures', 'bundles']),
    }),
  ),
  freedBytes: z.number(),
  /** Set when the limit could not be met (the newest item alone is bigger, a file was locked). */
  note: z.string().nullable(),
  usage: StorageUsage,
});
export type RetentionReport = z.infer<typeof RetentionReport>;

export const NewIncident = z.object({
  id: z.string(),
  kind: IncidentKind,
  title: z.string(),
  game: GameFamily.nullable(),
});

export const preferencesChannels = {
  'preferences:get': channel(
    z.object({}),
    PreferencesState,
    'App preferences (capture hotkey, notifications, storage retention, symbol folders) and the hotkey state.',
  ),
  'preferences:set': channel(
    Preferences.partial(),
    PreferencesState,
    'Change some preferences; symbol folders must exist. The desktop shell re-registers the hotkey.',
  ),
  'storage:usage': channel(
    z.object({}),
    StorageUsage,
    'Disk used by captures and imported bundles in the data folder (never your own crash folders).',
  ),
  'storage:clean': channel(
    z.object({}),
    RetentionReport,
    'Apply the retention limits now (it also runs after every capture and import).',
  ),
} as const;

export const preferencesEvents = {
  'notify:newIncidents': event(
    z.object({ items: z.array(NewIncident), total: z.number().int() }),
    'New crashes or hangs of your own were indexed (when notifications are on): the first few, and how many.',
  ),
  'notify:open': event(
    z.object({ id: z.string() }),
    'The desktop shell asks the window to open an incident (a notification was clicked).',
  ),
} as const;
