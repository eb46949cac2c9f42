import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep, win32 } from 'node:path';

/**
 * Paths that come from the renderer are hostile until checked. The renderer can name a path
 * only through what the user did: a folder they added (folders:add, the trust root), a file or
 * folder they picked in a native dialog or dropped on the window (Electron registers those as
 * grants), or a destination they chose in a save dialog. Everything else is refused here, before
 * a handler touches the disk: no scan, read or import of arbitrary paths, and no UNC path
 * (\\host\share, \\?\UNC\…) that would make Windows send the user's NTLM credentials to a host,
 * unless the user added that share.
 */

/** A path the renderer may not name; dispatch answers `bad_request` with the message. */
export class PathNotAllowedError extends Error {
  readonly code = 'bad_request';
}

/** `\\host\share`, `//host/share`, `\\?\UNC\host\share`, `\\.\UNC\…`: a network path. */
export function isUncPath(p: string): boolean {
  const u = p.replace(/\//g, '\\');
  if (/^\\\\[?.]\\UNC\\/i.test(u)) return true;
  // \\?\C:\… and \\.\C:\ are local device paths; \\.\pipe\… a pipe; anything else after \\ is a host.
  if (/^\\\\[?.]\\/.test(u)) return !/^\\\\[?.]\\[A-Za-z]:/.test(u);
  return u.startsWith('\\\\');
}

/** `host\share` of a UNC path, lower-case, or null. */
export function uncShare(p: string): string | null {
  if (!isUncPath(p)) return null;
  const u = p.replace(/\//g, '\\').replace(/^\\\\[?.]\\UNC\\/i, '\\\\');
  const m = /^\\\\([^\\]+)\\([^\\]+)/.exec(u);
  return m ? `${m[1]}\\${m[2]}`.toLowerCase() : null;
}

/** Comparable form of a path: absolute, normalised, case-folded where the file system folds case. */
function canonical(p: string, platform: NodeJS.Platform): string {
  if (platform === 'win32' || isUncPath(p) || /^[A-Za-z]:/.test(p)) {
    const w = win32.resolve(p.replace(/^\\\\\?\\(?!UNC\\)/i, '')).replace(/^\\\\\?\\UNC\\/i, '\\\\');
    return w.replace(/[\\]+$/, '').toLowerCase();
  }
  return resolve(p).replace(/\/+$/, '') || '/';
}

/** `child` is `root` or below it (lexically, after normalisation: "..", case on Windows). */
export function isInside(child: string, root: string, platform: NodeJS.Platform = process.platform): boolean {
  const c = canonical(child, platform);
  const r = canonical(root, platform);
  const s = platform === 'win32' || c.includes('\\') ? '\\' : sep;
  return c === r || c.startsWith(r.endsWith(s) ? r : r + s);
}

/** The real location: links resolved in the longest part of the path that exists. */
function real(p: string): string {
  let head = p;
  let tail = '';
  for (let i = 0; i < 64; i++) {
    try {
      return realpathSync.native(head) + tail;
    } catch {
      const parent = dirname(head);
      if (parent === head) return p;
      tail = head.slice(parent.length) + tail;
      head = parent;
    }
  }
  return p;
}

/**
 * Paths the user gave through the OS (native dialogs, drag and drop) in this session. Exact
 * files (a picked bundle) and folders (a picked crash folder) are kept apart: a granted file
 * does not open its folder.
 */
export class PathGrants {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  grantFile(path: string): void {
    this.files.add(canonical(path, this.platform));
  }

  grantFolder(path: string): void {
    this.folders.add(canonical(path, this.platform));
  }

  hasFile(path: string): boolean {
    return this.files.has(canonical(path, this.platform));
  }

  hasFolder(path: string): boolean {
    return this.folders.has(canonical(path, this.platform));
  }

  private readonly saves = new Map<string, string>();

  /** A destination the user chose in a save dialog: a one-time token the renderer hands back. */
  grantSave(path: string): string {
    const token = randomBytes(16).toString('hex');
    this.saves.set(token, path);
    return token;
  }

  /** The destination of a token (once: a token cannot write twice). */
  takeSave(token: string): string | null {
    const path = this.saves.get(token) ?? null;
    this.saves.delete(token);
    return path;
  }
}

export interface PathPolicy {
  /** Folders the user added, and the workbench's own (captures, imported bundles). */
  roots: string[];
  grants?: PathGrants;
  platform?: NodeJS.Platform;
}

/**
 * Refuses `path` unless it is an absolute path inside one of the roots (also once links are
 * resolved), or a granted file. A UNC path must be inside an added share. `what` names it in
 * the message ("Scan folder", "Bundle").
 */
export function requireAllowedPath(path: string, policy: PathPolicy, what: string): string {
  const platform = policy.platform ?? process.platform;
  if (!isAbsolute(path) && !win32.isAbsolute(path))
    throw new PathNotAllowedError(`${what} must be an absolute path: ${path}`);
  if (/\0/.test(path)) throw new PathNotAllowedError(`${what} is not a valid path.`);
  if (policy.grants?.hasFile(path) || policy.grants?.hasFolder(path)) return path;
  const inside = (p: string) => policy.roots.some((r) => isInside(p, r, platform));
  if (isUncPath(path)) {
    const share = uncShare(path);
    const added = policy.roots.some((r) => uncShare(r) === share);
    if (!added || !inside(path))
      throw new PathNotAllowedError(
        `${what} is on a network share (${path}) that is not one of your folders; add the share itself first. (Opening it would send your Windows credentials to that host.)`,
      );
    return path;
  }
  const realRoots = policy.roots.map(real);
  const realInside = (p: string) => [...policy.roots, ...realRoots].some((r) => isInside(p, r, platform));
  if (!inside(path) || !realInside(real(path)))
    throw new PathNotAllowedError(
      `${what} is outside the folders you added: ${path}. Add its folder first, or pick the file in the dialog.`,
    );
  return path;
}
