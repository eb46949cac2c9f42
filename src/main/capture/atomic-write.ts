import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Suffix of files still being written; the scanner's name patterns never match it. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * Write to `<path>.partial` and rename into place, so a reader (the folder watcher, SkyrimDiag's
 * tools) never sees a half-written file under the real name; on failure nothing is left behind.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const tmp = path + PARTIAL_SUFFIX;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
