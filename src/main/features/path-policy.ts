import type { WorkbenchContext } from '../context';
import { isUncPath, PathNotAllowedError, type PathPolicy } from '../sources/path-check';

/**
 * Which paths a renderer may name (see sources/path-check.ts): handlers call these before they
 * touch the disk with a path that came from the page.
 */

/** The folders a renderer may name paths in: the ones the user added, and the workbench's own. */
export function userPathPolicy(ctx: WorkbenchContext): PathPolicy {
  return { roots: [...ctx.sources.folders(), ctx.dirs.imports, ctx.dirs.captures], grants: ctx.grants };
}

/**
 * folders:add is how the user adds a folder, so any local folder may be added. A network share
 * is reached the moment it is opened; in the desktop app it must come from the folder dialog or
 * a drop (a typed path cannot reach the renderer there), so a page cannot make Windows call a host.
 */
export function requireAddableFolder(ctx: WorkbenchContext, path: string): string {
  if (isUncPath(path) && ctx.transport === 'electron' && !ctx.grants.hasFolder(path))
    throw new PathNotAllowedError(
      `${path} is a network share; choose it in the folder dialog (or drop it on the window) to add it.`,
    );
  return path;
}
