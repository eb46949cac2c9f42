import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import { suggestFolders } from '../../sources/suggest';
import { requireAddableFolder } from '../path-policy';

type FoldersHandlers = Pick<Handlers, 'folders:list' | 'folders:add' | 'folders:remove' | 'folders:suggest'>;

/** `folders:*`: the remembered folders (settings) and where the usual tools write. */
export function foldersHandlers(ctx: WorkbenchContext): FoldersHandlers {
  return {
    'folders:list': () => ctx.sources.folders(),
    'folders:add': (req) => ctx.sources.addFolder(requireAddableFolder(ctx, req.path)),
    'folders:remove': (req) => ctx.sources.removeFolder(req.path),
    'folders:suggest': () => suggestFolders(),
  };
}
