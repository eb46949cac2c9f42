import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';

type AppHandlers = Pick<Handlers, 'dialog:openFolder' | 'incidents:setNotes'>;

/**
 * Transport-neutral defaults: with no native dialog (serve mode, CLI) the picker answers null
 * and the renderer asks for a typed path; ipc.ts overrides it with Electron's dialog.
 */
export function appHandlers(ctx: WorkbenchContext): AppHandlers {
  return {
    'dialog:openFolder': () => null,
    'incidents:setNotes': ({ id, notes }) => {
      const current = ctx.store.get(id);
      if (!current) return { ok: false };
      return { ok: ctx.store.setStatus(id, current.status, notes) };
    },
  };
}
