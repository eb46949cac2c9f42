import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { applyRetention, listStoredItems } from '../../../src/main/features/preferences/retention';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type {
  PreferencesState,
  RetentionReport,
  StorageUsage,
} from '../../../src/shared/contract/preferences';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Retention of the data folder's captures and imported bundles, on REAL dumps (Breakpad and
 * rust-minidump test files) copied under the names our manual captures get; the bundle folders'
 * contents are real dumps too. Ages are set with utimes.
 */
const DAY = 86_400_000;
const ts = (daysAgo: number) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}_000`;
};
const age = (path: string, daysAgo: number) => {
  const t = new Date(Date.now() - daysAgo * DAY);
  utimesSync(path, t, t);
};
/** Bytes under a folder, links not followed. */
const du = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );

function capture(dir: string, daysAgo: number, dump: string): string {
  const stamp = ts(daysAgo);
  const path = join(dir, `SkyrimDiag_Manual_${stamp}.dmp`);
  copyFileSync(real('minidumps', dump), path);
  age(path, daysAgo);
  return path;
}

function bundle(dir: string, name: string, daysAgo: number, dumps: string[]): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const d of dumps) {
    copyFileSync(real('minidumps', d), join(folder, d));
    age(join(folder, d), daysAgo);
  }
  age(folder, daysAgo);
  return folder;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('storage retention', () => {
  let tmp: string;
  let wb: Workbench;
  const call = async <T>(name: string, req: unknown): Promise<T> => {
    const r = await dispatch(wb.handlers, name as never, req as never, true);
    if (!r.ok) throw new Error(r.error.message);
    return r.res as T;
  };
  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-retention-'));
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
  });
  afterEach(async () => {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('defaults to 10 GB and 90 days, shown with what is stored', async () => {
    const p = await call<PreferencesState>('preferences:get', {});
    expect(p.prefs.retention).toEqual({ maxBytes: 10 * 1024 ** 3, maxAgeDays: 90 });
    const u = await call<StorageUsage>('storage:usage', {});
    expect(u).toMatchObject({ totalBytes: 0, captures: { items: 0 }, bundles: { items: 0 } });
  });

  it("after a capture, keeps the data folder under its limit, oldest first, never the user's folders", async () => {
    const { captures, imports } = wb.ctx.dirs;
    // The user's own crash folder, with files named like captures and much older: never touched.
    const mine = join(tmp, 'My Games', 'SKSE');
    mkdirSync(mine, { recursive: true });
    const mineFiles = [
      capture(mine, 400, 'stack_exhaustion.dmp'),
      capture(mine, 300, 'electron-windows.dmp'),
    ];
    await wb.ctx.sources.addFolder(mine);

    const old = [
      capture(captures, 200, 'electron-windows.dmp'), // past the age limit
      capture(captures, 20, 'stack_exhaustion.dmp'),
      capture(captures, 10, 'tiny-exe-with-cet-xsave.dmp'),
    ];
    const oldBundle = bundle(imports, 'bundle-00000000000000aa', 15, [
      'invalid-parameter.dmp',
      'minidump2.dmp',
    ]);
    const newBundle = bundle(imports, 'bundle-00000000000000bb', 2, ['write_av_non_canonical.dmp']);
    const limit = 150_000;
    await call('preferences:set', { retention: { maxBytes: limit, maxAgeDays: 90 } });
    await wb.ctx.sources.scan([captures, imports]);
    const before = wb.ctx.store.list({ offset: 0, limit: 100 }).total;

    // What a capture does once its files are written: scan the capture folder.
    const fresh = capture(captures, 0, 'null_read_av.dmp');
    await wb.ctx.sources.scanFolder(captures);

    expect(du(captures) + du(imports)).toBeLessThanOrEqual(limit);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(old[0]!)).toBe(false); // age
    expect(existsSync(old[1]!)).toBe(false); // the oldest of the rest, for size
    expect(existsSync(oldBundle)).toBe(false);
    expect(existsSync(old[2]!)).toBe(true);
    expect(existsSync(newBundle)).toBe(true);
    for (const f of mineFiles) expect(existsSync(f), f).toBe(true);
    // The index forgot what was removed and knows the new capture.
    const after = wb.ctx.store.list({ offset: 0, limit: 100 }).items.map((i) => wb.ctx.store.get(i.id)!);
    const paths = after.flatMap((i) => i.artifacts.map((a) => a.path));
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
    expect(paths).toContain(fresh);
    expect(after.filter((i) => i.folder === mine)).toHaveLength(2);
    expect(after.length).toBeLessThan(before);

    const u = await call<StorageUsage>('storage:usage', {});
    expect(u.totalBytes).toBe(du(captures) + du(imports));
    expect(u.totalBytes).toBeLessThanOrEqual(limit);
    expect(u).toMatchObject({ captures: { items: 2 }, bundles: { items: 1 } });
  });

  it('storage:clean applies a lowered limit now; the newest item stays even if alone too big', async () => {
    const { captures, imports } = wb.ctx.dirs;
    capture(captures, 3, 'electron-windows.dmp');
    const newest = capture(captures, 1, 'stack_exhaustion.dmp');
    await call('preferences:set', { retention: { maxBytes: 1000, maxAgeDays: 0 } });
    const r = await call<RetentionReport>('storage:clean', {});
    expect(r.removed.map((x) => [x.area, x.reason])).toEqual([['captures', 'size']]);
    expect(r.freedBytes).toBe(statSync(real('minidumps', 'electron-windows.dmp')).size);
    expect(existsSync(newest)).toBe(true);
    expect(r.note).toMatch(/newest capture or bundle is kept/);
    expect(du(captures) + du(imports)).toBe(statSync(newest).size);
  });

  it('nothing inside a folder the user watches is removed, even in the data folder', async () => {
    const { captures, imports } = wb.ctx.dirs;
    const a = capture(captures, 50, 'electron-windows.dmp');
    capture(captures, 1, 'null_read_av.dmp');
    const r = await applyRetention(
      { captures, imports },
      { maxBytes: 1, maxAgeDays: 7 },
      { userFolders: [captures] },
    );
    expect(r.removed).toEqual([]);
    expect(existsSync(a)).toBe(true);
    expect(r.note).toMatch(/inside your folder/);
  });

  it("groups a capture's files by their timestamp and leaves work in progress alone", async () => {
    const { captures, imports } = wb.ctx.dirs;
    const dmp = capture(captures, 5, 'minidump2.dmp');
    copyFileSync(dmp, dmp.replace('SkyrimDiag_Manual_', 'SkyrimDiag_WCT_Manual_').replace('.dmp', '.json'));
    mkdirSync(join(imports, '.incoming-0123456789abcdef'));
    const items = await listStoredItems({ captures, imports });
    expect(items).toHaveLength(1);
    expect(items[0]!.paths).toHaveLength(2);
  });
});
