import { z } from 'zod';
import { channel } from './define';
import { EtwEventDetail, EtwEventRow, EtwSummary } from '../domain/etw';

/** A trace is named by its artifact id, or by an incident (its first etl artifact); never by a raw path. */
const EtlRef = z.object({
  artifactId: z.number().int().optional(),
  incidentId: z.string().optional(),
});

export const etwChannels = {
  'etw:summary': channel(
    EtlRef,
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
    EtlRef.extend({
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
    EtlRef.extend({ position: z.number().int().min(0) }),
    EtwEventDetail,
    'One event in full: header, extended data, decoded fields and the record bytes (hex).',
  ),
} as const;
