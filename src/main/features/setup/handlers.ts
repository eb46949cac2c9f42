import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import { BadRequestError, NotFoundError } from '../../dispatch-errors';
import { BisectError } from '../../sources/setup/bisect-service';
import { NotFound } from '../../sources/setup/setup-service';

type SetupHandlers = Pick<
  Handlers,
  | 'setup:instances'
  | 'setup:add'
  | 'setup:remove'
  | 'setup:changes'
  | 'setup:modTrends'
  | 'bisect:status'
  | 'bisect:start'
  | 'bisect:answer'
  | 'bisect:reset'
>;

/** Maps the setup layer's own errors to the wire's codes (a bad folder is the user's input). */
async function wire<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NotFound) throw new NotFoundError(e.message);
    if (e instanceof BisectError) throw new BadRequestError(e.message);
    if (e instanceof Error && /is not a Mod Organizer 2 instance/.test(e.message))
      throw new BadRequestError(e.message);
    throw e;
  }
}

/** Mod setup awareness: instances, what changed, per-mod trends, the guided bisect. */
export function setupHandlers(ctx: WorkbenchContext): SetupHandlers {
  return {
    'setup:instances': () => ctx.setup.summaries(ctx.sources.folders()),
    'setup:add': async (req) => {
      const list = await wire(() => ctx.setup.add(req.path));
      ctx.emit('incidents:changed', { ids: [], reason: 'setup' });
      return list;
    },
    'setup:remove': (req) => ctx.setup.remove(req.path),
    'setup:changes': (req) => wire(() => ctx.setup.changes(req.incidentId, req.sinceId)),
    'setup:modTrends': (req) => ctx.setup.modTrends(req),
    'bisect:status': () => ctx.bisect.status(),
    'bisect:start': (req) => wire(() => ctx.bisect.start(req)),
    'bisect:answer': (req) => wire(() => ctx.bisect.answer(req.answer)),
    'bisect:reset': (req) => wire(() => ctx.bisect.reset(req.keepFolders)),
  };
}
