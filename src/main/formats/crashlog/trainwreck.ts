import { parseCrashLoggerFamily } from './crash-logger';
import type { ParseContext } from './common';

/**
 * Trainwreck (Skyrim SE/AE/VR, SKSE): header "Trainwreck vX" beside the game line, then the
 * same upper-case "SECTION:" layout Crash Logger uses (it grew out of that family). It often
 * has no load order, which the parser reports instead of guessing one.
 */
export function parseTrainwreck(ctx: ParseContext, skip: ReadonlySet<number>): void {
  parseCrashLoggerFamily(ctx, 'skse', skip);
  if (!ctx.log.pluginsListed)
    ctx.problems.add('no_load_order', 'Trainwreck wrote no load order; plugin rules cannot run on this log');
}
