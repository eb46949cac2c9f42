import { lstat, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Retention, RetentionReport, StorageUsage } from '../../../shared/contract/preferences';

/**
 * Storage retention for what the workbench itself writes into its data folder: manual captures
 * (full-memory dumps can be gigabytes) and imported bundles. Nothing else is ever removed: only
 * direct entries of those two folders, never through a link, never inside a folder the user
 * asked the workbench to watch.
 */
export interface RetentionDirs {
  captures: string;
  imports: string;
}

export interface StoredItem {
  area: 'captures' | 'bundles';
  /** Key of the item: a capture's timestamp, or a bundle folder's name. */
  key: string;
  /** The files or folder that make it up (direct entries of the area's folder). */
  paths: string[];
  bytes: number;
  /** Newest modification time of its files. */
  newestMs: number;
}

/** A capture's files share SkyrimDiag's `<ts>` (YYYYMMDD_HHMMSS[_mmm]) in their names. */
const CAPTURE_TS = /_(\d{8}_\d{6}(?:_\d{3})?)(?=[._])/;

/** Temporary entries of work in progress (an import being extracted, an upload): never touched. */
const IN_PROGRESS = /^\.(incoming|uploads|tmp)|\.tmp[.-]|\.partial$/i;

async function sizeOf(path: string): Promise<{ bytes: number; newestMs: number } | null> {
  const st = await lstat(path).catch(() => null);
  if (!st || st.isSymbolicLink()) return null;
  if (!st.isDirectory()) return { bytes: st.size, newestMs: st.mtimeMs };
  let bytes = 0;
  let newestMs = st.mtimeMs;
  for (const name of await readdir(path).catch(() => [] as string[])) {
    const sub = await sizeOf(join(path, name));
    if (!sub) continue;
    bytes += sub.bytes;
    newestMs = Math.max(newestMs, sub.newestMs);
  }
  return { bytes, newestMs };
}

/** The items of both areas, oldest first. */
export async function listStoredItems(dirs: RetentionDirs): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  for (const [area, dir] of [
    ['captures', dirs.captures],
    ['bundles', dirs.imports],
  ] as const) {
    const byKey = new Map<string, StoredItem>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (IN_PROGRESS.test(name)) continue;
      const path = join(dir, name);
      const s = await sizeOf(path);
      if (!s) continue;
      const key = area === 'captures' ? (CAPTURE_TS.exec(name)?.[1] ?? name) : name;
      const it = byKey.get(key) ?? { area, key, paths: [], bytes: 0, newestMs: 0 };
      it.paths.push(path);
      it.bytes += s.bytes;
      it.newestMs = Math.max(it.newestMs, s.newestMs);
      byKey.set(key, it);
    }
    items.push(...byKey.values());
  }
  return items.sort((a, b) => a.newestMs - b.newestMs || a.key.localeCompare(b.key));
}

export async function storageUsage(dirs: RetentionDirs, retention: Retention): Promise<StorageUsage> {
  const items = await listStoredItems(dirs);
  const area = (a: StoredItem['area'], folder: string) => {
    const of = items.filter((i) => i.area === a);
    return {
      folder,
      items: of.length,
      bytes: of.reduce((n, i) => n + i.bytes, 0),
      oldest: of[0] ? new Date(of[0].newestMs).toISOString() : null,
    };
  };
  const captures = area('captures', dirs.captures);
  const bundles = area('bundles', dirs.imports);
  return { captures, bundles, totalBytes: captures.bytes + bundles.bytes, retention };
}

function inside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface RetentionOptions {
  /** Folders the user asked to watch: nothing inside one is removed, whatever the limits. */
  userFolders: readonly string[];
  /** Kept whatever the limits (the capture or import that just happened). */
  protect?: (item: StoredItem) => boolean;
  nowMs?: number;
}

/**
 * Removes captures and bundles past the age limit, then the oldest until both areas together fit
 * the size limit. The newest item is never removed for size (it is what the user just made).
 */
export async function applyRetention(
  dirs: RetentionDirs,
  retention: Retention,
  opts: RetentionOptions,
): Promise<RetentionReport> {
  const items = await listStoredItems(dirs);
  const now = opts.nowMs ?? Date.now();
  const removed: RetentionReport['removed'] = [];
  const notes: string[] = [];
  const roots = [dirs.captures, dirs.imports].map((d) => resolve(d));
  const guarded = (it: StoredItem): string | null => {
    for (const p of it.paths) {
      const parentOk = roots.some((r) => resolve(p, '..') === r);
      if (!parentOk) return `${p} is not directly in the workbench's own folders`;
      const user = opts.userFolders.find((u) => inside(p, u));
      if (user) return `${p} is inside your folder ${user}`;
    }
    return null;
  };
  let total = items.reduce((n, i) => n + i.bytes, 0);
  const newest = items[items.length - 1];
  const remove = async (it: StoredItem, reason: 'age' | 'size'): Promise<boolean> => {
    if (opts.protect?.(it)) return false;
    const why = guarded(it);
    if (why) {
      notes.push(`Kept ${it.key}: ${why}.`);
      return false;
    }
    try {
      for (const p of it.paths) await rm(p, { recursive: true, force: true });
    } catch (e) {
      notes.push(`Could not remove ${it.key}: ${(e as Error).message}`);
      return false;
    }
    removed.push({ path: it.paths[0]!, bytes: it.bytes, reason, area: it.area });
    total -= it.bytes;
    return true;
  };
  const left: StoredItem[] = [];
  for (const it of items) {
    const old = retention.maxAgeDays > 0 && now - it.newestMs > retention.maxAgeDays * 86_400_000;
    if (!(old && (await remove(it, 'age')))) left.push(it);
  }
  if (retention.maxBytes > 0)
    for (const it of left) {
      if (total <= retention.maxBytes) break;
      if (it === newest) continue;
      await remove(it, 'size');
    }
  if (retention.maxBytes > 0 && total > retention.maxBytes)
    notes.push(
      `Still ${total} bytes over a limit of ${retention.maxBytes}: the newest capture or bundle is kept whatever its size.`,
    );
  return {
    removed,
    freedBytes: removed.reduce((n, r) => n + r.bytes, 0),
    note: notes.length ? notes.join(' ') : null,
    usage: await storageUsage(dirs, retention),
  };
}
