import type { Handlers } from '../shared/contract/index';
import type { WorkbenchContext } from './context';
import { UnsupportedError } from './dispatch-errors';
import { channelNames } from './dispatch';
import { featureHandlers } from './features/index';
import { guardHandlers } from './store/integrity';

/**
 * The handler table the transports serve (Electron IPC, the serve bridge, tests): every feature's
 * handlers, a clear answer for a channel no feature registered, and recovery from a damaged
 * index around each call. Its own module because it loads every feature and the contract's
 * schemas, which the CLI (it calls the services directly) does not need (issue 15).
 */
export function buildHandlers(ctx: WorkbenchContext, recover: () => Promise<void>): Handlers {
  const merged: Partial<Handlers> = {};
  for (const factory of featureHandlers) Object.assign(merged, factory(ctx));
  for (const name of channelNames()) {
    // A channel whose feature has not registered a handler answers clearly instead of hanging.
    if (!merged[name])
      (merged as Record<string, unknown>)[name] = () => {
        throw new UnsupportedError(`"${name}" is not available in this build`);
      };
  }
  // A damaged index found in use is moved aside and rebuilt from the files, then the call retried.
  return guardHandlers(merged as Handlers, recover);
}
