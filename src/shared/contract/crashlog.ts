import { z } from 'zod';
import { ArtifactRef, channel } from './define';
import { CrashLogAnalysis, CrashLogRules } from '../domain/crashlog';

export const crashlogChannels = {
  'crashlog:parsed': channel(
    ArtifactRef,
    z.object({
      artifactId: z.number().int().nullable(),
      analysis: CrashLogAnalysis.nullable(),
      /** The decoded log for the raw view (at most 8 MiB of it). */
      text: z.string().nullable(),
      truncated: z.boolean(),
      error: z.string().nullable(),
    }),
    'A crash log parsed (exception, call stack, registers, stack, modules, plugins, relevant objects) with suspects and known-issue findings from the current rules.',
  ),
  'crashlog:rules': channel(
    z.object({}),
    CrashLogRules,
    'The known-issue rule files in use (bundled and the user folder in the data dir) and whether user rules are on.',
  ),
  'crashlog:setRules': channel(
    z.object({ userRulesEnabled: z.boolean() }),
    CrashLogRules,
    'Turns the user rule folder (<data dir>/rules) on or off; remembered in settings.',
  ),
} as const;
