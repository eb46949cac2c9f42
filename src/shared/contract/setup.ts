import { z } from 'zod';
import { channel } from './define';
import { BisectAnswer, BisectStatus, LoadOrderDiff, ModTrends, SetupInstanceSummary } from '../domain/setup';

const Path = z.string().min(1).max(4096);
/** Wall-clock time without a zone, like every incident time. */
const WallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/);

/** Mod setup awareness (issue 17): instances, load-order diff, per-mod trends, guided bisect. */
export const setupChannels = {
  'setup:instances': channel(
    z.object({}),
    z.array(SetupInstanceSummary),
    'The MO2 instances and Vortex deployments in use (with their profiles) and ones found in the usual places.',
  ),
  'setup:add': channel(
    z.object({ path: Path }),
    z.array(z.string()),
    'Use a mod manager folder (MO2 instance, Vortex staging/game/Data folder); read-only.',
  ),
  'setup:remove': channel(z.object({ path: Path }), z.array(z.string()), 'Stop using a mod manager folder.'),
  'setup:changes': channel(
    z.object({ incidentId: z.string().min(1).max(200), sinceId: z.string().min(1).max(200).optional() }),
    LoadOrderDiff,
    'What changed in the setup since the last session without a crash (or since another incident).',
  ),
  'setup:modTrends': channel(
    z.object({ days: z.number().int().min(0).max(3660).default(30), now: WallClock.optional() }),
    ModTrends,
    'Crashes per mod over time, per version, and the mods whose crash rate rose after an update.',
  ),
  'bisect:status': channel(z.object({}), BisectStatus, 'The running guided bisect, if any.'),
  'bisect:start': channel(
    z.object({
      profileDir: Path,
      pins: z.array(z.string().min(1).max(260)).max(500).default([]),
      granularity: z.enum(['plugins', 'mods']).default('plugins'),
    }),
    BisectStatus,
    'Start a bisect from an MO2 profile: writes the first test profile beside it.',
  ),
  'bisect:answer': channel(
    z.object({ answer: BisectAnswer }),
    BisectStatus,
    'Answer the current round (good: no crash, bad: it crashed).',
  ),
  'bisect:reset': channel(
    z.object({ keepFolders: z.boolean().default(false) }),
    z.object({ removed: z.array(z.string()), kept: z.array(z.string()), status: BisectStatus }),
    'Stop the bisect and remove the test profiles it created (only those).',
  ),
} as const;
