import { z } from 'zod';
import { channel } from './define';
import { HangAnalysis } from '../domain/hang';

export const hangChannels = {
  'hang:analysis': channel(
    z.object({ incidentId: z.string() }),
    z.object({
      artifactId: z.number().int().nullable(),
      analysis: HangAnalysis.nullable(),
      error: z.string().nullable(),
    }),
    "Wait-chain analysis of an incident's WCT file (threads, chains, deadlock cycles, verdict).",
  ),
} as const;
