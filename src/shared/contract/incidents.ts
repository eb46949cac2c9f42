import { z } from 'zod';
import { channel, event } from './define';
import {
  IncidentDetail,
  IncidentKind,
  IncidentSource,
  IncidentStatus,
  IncidentSummary,
} from '../domain/incident';
import { GameFamily } from '../domain/rules';

export const ScanResult = z.object({
  scannedFolders: z.array(z.string()),
  incidents: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  filesRead: z.number().int(),
  durationMs: z.number(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ScanResult = z.infer<typeof ScanResult>;

export const ListQuery = z.object({
  search: z.string().max(500).optional(),
  kind: IncidentKind.optional(),
  source: IncidentSource.optional(),
  status: IncidentStatus.optional(),
  game: GameFamily.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(50_000).default(500),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const FolderSuggestion = z.object({ path: z.string(), label: z.string(), exists: z.boolean() });

export const incidentChannels = {
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
  'incidents:scan': channel(
    z.object({ folders: z.array(z.string()).optional() }),
    ScanResult,
    'Scan the given (or remembered) folders; only changed files are re-read.',
  ),
  'incidents:list': channel(
    ListQuery,
    z.object({ total: z.number().int(), items: z.array(IncidentSummary) }),
    'Incidents newest first, optionally filtered and full-text searched.',
  ),
  'incidents:get': channel(
    z.object({ id: z.string() }),
    IncidentDetail.nullable(),
    'One incident with its artifacts and verdict.',
  ),
  'incidents:setStatus': channel(
    z.object({ id: z.string(), status: IncidentStatus }),
    z.object({ ok: z.boolean() }),
    'Triage status.',
  ),
  'artifacts:readText': channel(
    z.object({
      artifactId: z.number().int(),
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .default(4 * 1024 * 1024),
    }),
    z.object({ text: z.string(), truncated: z.boolean(), encoding: z.string() }),
    'Text content of an artifact (decoded; truncated to maxBytes).',
  ),
  'artifacts:reveal': channel(
    z.object({ artifactId: z.number().int() }),
    z.object({ path: z.string(), revealed: z.boolean() }),
    'Show the file in the OS file manager (serve mode returns the path).',
  ),
  'db:rebuild': channel(z.object({}), ScanResult, 'Delete the index and rebuild it from the files.'),
} as const;

export const incidentEvents = {
  'incidents:changed': event(
    z.object({ ids: z.array(z.string()), reason: z.string() }),
    'The index changed (scan, watcher, import, capture).',
  ),
  'scan:progress': event(
    z.object({ folder: z.string(), filesSeen: z.number().int(), done: z.boolean() }),
    'Scan progress.',
  ),
} as const;
