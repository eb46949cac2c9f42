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

/** The index: incidents, their artifacts' text and location, and the index itself (db:rebuild). */
export const incidentChannels = {
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
  'incidents:setNotes': channel(
    z.object({ id: z.string(), notes: z.string().max(100_000) }),
    z.object({ ok: z.boolean() }),
    'Free-text triage notes of one incident (kept with its status).',
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
} as const;
