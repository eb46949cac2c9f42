import { statSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sep } from 'node:path';

export interface WalkEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  files: WalkEntry[];
  errors: { path: string; message: string }[];
}

/** Deep enough for MO2 overwrite/SKSE/Plugins/Tullius Ctd Logs and bundle import folders. */
const MAX_DEPTH = 6;
const MAX_FILES = 500_000;
/**
 * Files stat'ed per batch before yielding to the event loop. A synchronous stat of a cached
 * inode costs a few microseconds, a promise round trip through the thread pool ten times that;
 * batching keeps a 20,000-file rescan fast without starving IPC on a slow network folder.
 */
const STAT_BATCH = 256;
/** Directory entries fetched per system call (Node's default is 32). */
const DIR_BUFFER = 1024;
/** Analyzer caches and lock folders (`.skydiag-analysis`, `.skydiag-locks`) duplicate stem files. */
const SKIP_DIR = /^(\..*|node_modules|\$RECYCLE\.BIN|System Volume Information)$/i;

/** Called for each regular file a walk finds, in walk order. */
export type FileVisitor = (path: string, size: number, mtimeMs: number) => void;

/**
 * Lists regular files under a root. Unreadable folders and files that vanish mid-walk become
 * errors or are skipped, never exceptions: a crash folder is being written while we read it.
 */
export async function walkFolder(root: string): Promise<WalkResult> {
  const out: WalkResult = { files: [], errors: [] };
  await visitFiles(root, (path, size, mtimeMs) => out.files.push({ path, size, mtimeMs }), out.errors);
  return out;
}

/**
 * walkFolder without the list: each file goes to `onFile` as it is stat'ed (a no-change rescan
 * only hashes them, scan-state.ts, and a list of 40,000 objects was most of its garbage).
 */
export async function visitFiles(
  root: string,
  onFile: FileVisitor,
  errors: WalkResult['errors'],
): Promise<void> {
  let found = 0;
  const visit = async (dir: string, depth: number): Promise<void> => {
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: DIR_BUFFER });
    } catch (e) {
      errors.push({ path: dir, message: describeFsError(e, dir) });
      return;
    }
    // join() without its normalising: `dir` is normalised and an entry name holds no separator.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const subdirs: string[] = [];
    const filePaths: string[] = [];
    try {
      // Entries read synchronously from the handle's buffer (the OS's order, as `for await`
      // gave it), yielding now and then: `for await` cost a promise per entry, a tenth of a
      // 40,000-file rescan (issue 15).
      for (let ent = handle.readSync(), n = 1; ent !== null; ent = handle.readSync(), n++) {
        if (n % STAT_BATCH === 0) await yieldToLoop();
        if (ent.isDirectory()) {
          if (depth < MAX_DEPTH && !SKIP_DIR.test(ent.name)) subdirs.push(prefix + ent.name);
        } else if (ent.isFile()) {
          if (found + filePaths.length < MAX_FILES) filePaths.push(prefix + ent.name);
        }
      }
    } catch (e) {
      errors.push({ path: dir, message: describeFsError(e, dir) });
    } finally {
      try {
        handle.closeSync();
      } catch {
        // Already closed: nothing to release.
      }
    }
    for (let i = 0; i < filePaths.length; i++) {
      if (i > 0 && i % STAT_BATCH === 0) await yieldToLoop();
      const p = filePaths[i]!;
      try {
        // Deleted between readdir and stat (SkyrimDiag's crash filter does this): skipped.
        const st = statSync(p, { throwIfNoEntry: false });
        if (st) {
          found++;
          onFile(p, st.size, Math.floor(st.mtimeMs));
        }
      } catch (e) {
        errors.push({ path: p, message: describeFsError(e, p) });
      }
    }
    for (const s of subdirs) await visit(s, depth + 1);
  };
  await visit(root, 0);
}

export function describeFsError(e: unknown, path: string): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return `Folder does not exist: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `No permission to read: ${path}`;
  if (code === 'ENOTDIR') return `Not a folder: ${path}`;
  return `Cannot read ${path}: ${(e as Error).message}`;
}
