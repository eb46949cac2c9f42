import { z } from 'zod';
import { ArtifactRef, channel } from './define';
import { EtwEventDetail, EtwEventRow, EtwSummary } from '../domain/etw';

export const etwChannels = {
  'etw:summary': channel(
    ArtifactRef,
    z.object({
      artifactId: z.number().int().nullable(),
      /** Every ETL artifact of the incident (a capture may hold several traces). */
      traces: z.array(z.object({ artifactId: z.number().int(), name: z.string(), size: z.number() })),
      summary: EtwSummary.nullable(),
      error: z.string().nullable(),
    }),
    'Summary of an ETW trace: header, providers and event types, processes, top threads by CPU/wait, sampled modules, I/O, main thread, timeline.',
  ),
  'etw:events': channel(
    ArtifactRef.extend({
      /** Provider name or GUID. */
      provider: z.string().max(200).optional(),
      /** Event name ("Thread/CSwitch") or "Provider/Event". */
      event: z.string().max(300).optional(),
      pid: z.number().int().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
    }),
    z.object({ total: z.number().int(), offset: z.number().int(), rows: z.array(EtwEventRow) }),
    'A page of events in time order, filtered by provider, event and process.',
  ),
  'etw:event': channel(
    ArtifactRef.extend({ position: z.number().int().min(0) }),
    EtwEventDetail,
    'One event in full: header, extended data, decoded fields and the record bytes (hex).',
  ),
} as const;
