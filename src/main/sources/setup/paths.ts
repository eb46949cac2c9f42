import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve, win32 } from 'node:path';

/**
 * A path from a mod manager's settings, resolved against the folder the settings file is in.
 * MO2 writes Windows paths with either separator; on another OS (tests, a copied instance) a
 * relative one is joined with "/" and an absolute Windows one is kept as written.
 */
export function resolveSettingPath(baseDir: string, p: string): string {
  const t = p.trim();
  if (win32.isAbsolute(t) && /^[a-z]:|^\\\\/i.test(t))
    return process.platform === 'win32' ? win32.normalize(t) : t;
  if (isAbsolute(t)) return resolve(t);
  return resolve(baseDir, t.replace(/\\/g, '/'));
}

/** The first of `names` that exists in `dir` whatever its case, else null. */
export function existingChild(dir: string, names: readonly string[]): string | null {
  for (const n of names) {
    const p = join(dir, n);
    if (existsSync(p)) return p;
  }
  return null;
}
