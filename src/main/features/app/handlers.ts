import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';

type AppHandlers = Pick<Handlers, 'app:info' | 'dialog:openFolder'>;

/**
 * `app:*` and `dialog:*`. The folder picker is the transport-neutral default: with no native
 * dialog (serve mode, CLI) it answers null and the renderer asks for a typed path; ipc.ts
 * overrides it with Electron's dialog.
 */
export function appHandlers(ctx: WorkbenchContext): AppHandlers {
  return {
    'app:info': () => ({
      version: ctx.appVersion,
      transport: ctx.transport === 'electron' ? 'electron' : 'serve',
      dataDir: ctx.dataDir,
      dbPath: ctx.store.path,
      platform: process.platform,
    }),
    'dialog:openFolder': () => null,
  };
}
