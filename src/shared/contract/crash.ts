import { z } from 'zod';
import { ArtifactRef, channel } from './define';
import { DumpAnalysis, DumpFrame, MemoryWindow } from '../domain/minidump';

export const crashChannels = {
  'crash:analyze': channel(
    ArtifactRef,
    z.object({
      artifactId: z.number().int().nullable(),
      analysis: DumpAnalysis.nullable(),
      error: z.string().nullable(),
    }),
    'Full minidump analysis: exception, registers, threads, modules, streams, crashing-thread stack with trust, culprits, bucket.',
  ),
  'crash:stack': channel(
    ArtifactRef.extend({ threadIndex: z.number().int().min(0) }),
    z.object({ frames: z.array(DumpFrame) }),
    'Unwound stack of any thread of a dump, on demand.',
  ),
  'crash:memory': channel(
    ArtifactRef.extend({
      address: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/),
      length: z.number().int().min(1).max(65536).default(256),
    }),
    MemoryWindow,
    'Hex window of captured process memory at an address (at most 64 KiB).',
  ),
  'crash:stream': channel(
    ArtifactRef.extend({
      index: z.number().int().min(0),
      offset: z.number().int().min(0).default(0),
      length: z.number().int().min(1).max(65536).default(4096),
    }),
    z.object({
      name: z.string(),
      type: z.number().int(),
      size: z.number(),
      offset: z.number(),
      bytes: z.string(),
    }),
    'Raw bytes (hex) of any directory entry, e.g. an unknown or user stream, a window at a time.',
  ),
} as const;
