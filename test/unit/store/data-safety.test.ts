import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { dispatch } from '../../../src/main/dispatch';
import { closeMarkPath, fileIdentity } from '../../../src/main/store/clean-close';
import { migrate } from '../../../src/main/store/migrations';
import { SettingsFile } from '../../../src/main/store/settings-file';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { createWorkbench } from '../../../src/main/workbench';
import { fixturesAvailable, real } from '../../helpers/fixtures';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: {}, cwd: '/' },
    out,
    err,
  };
}

/** Overwrites every other 64 KiB of the index past its first pages: damage in the middle of the file. */
function damage(dbPath: string): void {
  const size = statSync(dbPath).size;
  const junk = Buffer.alloc(64 * 1024, 0xa5);
  const fd = openSync(dbPath, 'r+');
  try {
    for (let at = 16 * 1024; at + junk.length < size; at += junk.length * 2)
      writeSync(fd, junk, 0, junk.length, at);
  } finally {
    closeSync(fd);
  }
}

describe('settings live outside the index', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembered folders and "always redact" words survive the index being deleted', async () => {
    const folder = join(dir, 'crashes');
    cpSync(real('crashlogs', 'buffout4-fo4'), folder, { recursive: true });
    let wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await dispatch(wb.handlers, 'folders:add', { path: folder });
    await dispatch(wb.handlers, 'bundle:setSettings', { extraWords: ['Glimmerward', 'vossworks'] });
    await wb.close();
    for (const f of readdirSync(join(dir, 'data')))
      if (f.startsWith('index.sqlite')) rmSync(join(dir, 'data', f));

    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    const folders = await dispatch(wb.handlers, 'folders:list', {});
    const words = await dispatch(wb.handlers, 'bundle:settings', {});
    expect(folders.ok && folders.res).toEqual([folder]);
    expect(words.ok && (words.res as { extraWords: string[] }).extraWords).toEqual([
      'Glimmerward',
      'vossworks',
    ]);
    // Nothing of them is in the new index.
    await wb.close();
    const db = new Database(join(dir, 'data', 'index.sqlite'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
    db.close();
  });

  it('an older index keeps its settings: they move to settings.json on first start', () => {
    const path = join(dir, 'index.sqlite');
    const db = new Database(path);
    migrate(db);
    const put = db.prepare('INSERT INTO settings(key, value_json) VALUES (?, ?)');
    put.run('folders', JSON.stringify(['D:\\Crashes']));
    put.run('redaction.extraWords', JSON.stringify(['guildname']));
    db.close();
    const store = SqliteIncidentStore.open(path, dir);
    expect(store.getSetting('folders', [])).toEqual(['D:\\Crashes']);
    expect(store.getSetting('redaction.extraWords', [])).toEqual(['guildname']);
    store.setSetting('folders', ['D:\\Crashes', 'E:\\More']);
    store.close();
    const doc = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as {
      values: Record<string, unknown>;
    };
    expect(doc.values).toEqual({
      folders: ['D:\\Crashes', 'E:\\More'],
      'redaction.extraWords': ['guildname'],
    });
    // The file wins from now on: the old rows are not read again.
    const again = SqliteIncidentStore.open(path, dir);
    expect(again.getSetting('folders', [])).toEqual(['D:\\Crashes', 'E:\\More']);
    again.close();
  });

  it('writes through a temporary file and a rename; an unreadable file is kept aside, defaults apply', () => {
    const s = new SettingsFile(join(dir, 'settings.json'));
    s.set('a', 1);
    s.set('b', [2]);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(new SettingsFile(join(dir, 'settings.json')).all()).toEqual({ a: 1, b: [2] });
    writeFileSync(join(dir, 'settings.json'), '{"format": "ctd-workbench-settings", "values": {"a": 1');
    const t = new SettingsFile(join(dir, 'settings.json'));
    expect(t.get('a', 'default')).toBe('default');
    expect(t.movedAside).toMatch(/settings\.json\.unreadable-\d{8}-\d{6}$/);
    expect(existsSync(t.movedAside!)).toBe(true);
  });

  it('a value written by another process is seen (the file is re-read when it changes)', () => {
    const a = new SettingsFile(join(dir, 'settings.json'));
    const b = new SettingsFile(join(dir, 'settings.json'));
    a.set('folders', ['x']);
    expect(b.get('folders', [])).toEqual(['x']);
    b.set('words', ['y']);
    expect(a.all()).toEqual({ folders: ['x'], words: ['y'] });
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('a damaged index is found and rebuilt from the files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-corrupt-'));
    cpSync(real('crashlogs'), join(dir, 'logs'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function indexed() {
    const wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await wb.ctx.sources.addFolder(join(dir, 'logs'));
    await dispatch(wb.handlers, 'bundle:setSettings', { extraWords: ['guildname'] });
    const ids = wb.ctx.store.list({ offset: 0, limit: 1000 }).items.map((i) => i.id);
    await dispatch(wb.handlers, 'incidents:setStatus', { id: ids[0]!, status: 'fixed' });
    // Everything into the main file (a second connection may checkpoint), so damage there counts.
    const db = new Database(join(dir, 'data', 'index.sqlite'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { wb, ids };
  }

  it('at open (quick_check): moved aside with a timestamp, rebuilt, every incident shows again', async () => {
    const first = await indexed();
    await first.wb.close();
    damage(join(dir, 'data', 'index.sqlite'));
    const wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    expect(wb.recoveredFrom).toMatch(/index\.sqlite\.corrupt-\d{8}-\d{6}$/);
    expect(existsSync(wb.recoveredFrom!)).toBe(true);
    expect(
      wb.ctx.store
        .list({ offset: 0, limit: 1000 })
        .items.map((i) => i.id)
        .sort(),
    ).toEqual([...first.ids].sort());
    for (const id of first.ids) expect((await dispatch(wb.handlers, 'incidents:get', { id })).ok).toBe(true);
    // Triage status and settings came through.
    expect(wb.ctx.store.get(first.ids[0]!)!.status).toBe('fixed');
    expect(wb.ctx.store.getSetting('redaction.extraWords', [])).toEqual(['guildname']);
    await wb.close();
  });

  it('in use (SQLITE_CORRUPT from a query): moved aside, rebuilt, and the call answered', async () => {
    const { wb, ids } = await indexed();
    const path = join(dir, 'data', 'index.sqlite');
    damage(path);
    // Another process's write makes this connection drop its page cache and read the damage.
    const other = new Database(path);
    other.pragma(`user_version = ${Number(other.pragma('user_version', { simple: true }))}`);
    other.close();
    const list = await dispatch(wb.handlers, 'incidents:list', { offset: 0, limit: 1000 });
    if (!list.ok) throw new Error(list.error.message);
    expect((list.res as { total: number }).total).toBe(ids.length);
    expect((wb.ctx.store as SqliteIncidentStore).recoveredFrom).toMatch(/\.corrupt-\d{8}-\d{6}/);
    expect(readdirSync(join(dir, 'data')).some((f) => /^index\.sqlite\.corrupt-/.test(f))).toBe(true);
    const rebuild = await dispatch(wb.handlers, 'db:rebuild', {});
    expect(rebuild.ok).toBe(true);
    await wb.close();
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('damage the open did not look for (its check was skipped)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-corrupt-cli-'));
    cpSync(real('crashlogs'), join(dir, 'logs'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Junk over the b-tree root page of one table or index, leaving the file looking as the last
   * orderly close left it (a failing disk changes no file time): the sidecar is rewritten to
   * match, so the open skips the full check and the damage shows only when that b-tree is read.
   */
  function damageUnseen(dbPath: string, btree: string): void {
    const probe = new Database(dbPath, { readonly: true });
    const root = (
      probe.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(btree) as { rootpage: number }
    ).rootpage;
    const pageSize = Number(probe.pragma('page_size', { simple: true }));
    probe.close();
    const fd = openSync(dbPath, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x6b), 0, 64, (root - 1) * pageSize);
    closeSync(fd);
    const mark = JSON.parse(readFileSync(closeMarkPath(dbPath), 'utf8')) as Record<string, unknown>;
    writeFileSync(closeMarkPath(dbPath), JSON.stringify({ ...mark, identity: fileIdentity(dbPath) }));
  }

  it('a CLI scan meets it in use: moved aside, rebuilt, every incident listed, exit 0', async () => {
    const data = join(dir, 'data');
    const first = io();
    expect(await runCli(['scan', join(dir, 'logs'), '--data-dir', data, '--json'], first.io)).toBe(0);
    const before = (JSON.parse(first.out.join('')) as { incidents: { id: string }[] }).incidents.map(
      (i) => i.id,
    );
    // Every scan reads the folder's write stamp from the index first (scan-state.ts).
    damageUnseen(join(data, 'index.sqlite'), 'folder_writes');
    const t = io();
    expect(await runCli(['scan', join(dir, 'logs'), '--data-dir', data, '--json'], t.io)).toBe(0);
    expect(t.err.join('')).toMatch(/warning: the index was damaged .*kept as .*index\.sqlite\.corrupt-/);
    const after = (JSON.parse(t.out.join('')) as { incidents: { id: string }[] }).incidents.map((i) => i.id);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(readdirSync(data).some((f) => /^index\.sqlite\.corrupt-/.test(f))).toBe(true);
  });

  it('another command meets it: a clear error, and the next open checks instead of trusting the close', async () => {
    const data = join(dir, 'data');
    expect(await runCli(['scan', join(dir, 'logs'), '--data-dir', data], io().io)).toBe(0);
    // A search reads the full-text tables, which nothing at open touches.
    damageUnseen(join(data, 'index.sqlite'), 'incident_fts_data');
    const t = io();
    expect(await runCli(['list', '--data-dir', data, '--search', 'dll'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(
      /^error: The incident index is damaged\..* \(database disk image is malformed\)\n$/,
    );
    expect(existsSync(closeMarkPath(join(data, 'index.sqlite')))).toBe(false);
    const store = SqliteIncidentStore.open(join(data, 'index.sqlite'), data);
    expect(store.openCheck.ran).toBe(true);
    expect(store.recoveredFrom).toMatch(/index\.sqlite\.corrupt-/);
    store.close();
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('a second process writing the index', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-busy-'));
    cpSync(real('crashlogs', 'buffout4-fo4'), join(dir, 'logs'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** New crash logs for the second scan to write. */
  const more = () =>
    cpSync(real('crashlogs', 'skyrim-mocked'), join(dir, 'logs', 'more'), { recursive: true });

  /** Another process holds the write lock for `ms` (a real second process, as a second `scan` would). */
  async function holdLock(dbPath: string, ms: number): Promise<{ done: Promise<void>; release: () => void }> {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(dbPath)});
         db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((res) => child.stdout.once('data', () => res()));
    const done = new Promise<void>((res) => child.once('exit', () => res()));
    return { done, release: () => void child.kill() };
  }

  it('waits for it (busy timeout) and then scans', async () => {
    const data = join(dir, 'data');
    const first = io();
    expect(await runCli(['scan', join(dir, 'logs'), '--data-dir', data], first.io)).toBe(0);
    const { done } = await holdLock(join(data, 'index.sqlite'), 1500);
    const t = io();
    more();
    const code = await runCli(['scan', join(dir, 'logs'), '--data-dir', data], t.io);
    expect(code).toBe(0);
    await done;
  });

  it('past the timeout: a clear message and exit 2, no stack trace', async () => {
    const data = join(dir, 'data');
    expect(await runCli(['scan', join(dir, 'logs'), '--data-dir', data], io().io)).toBe(0);
    const { done, release } = await holdLock(join(data, 'index.sqlite'), 60_000);
    more();
    const t = io();
    t.io.env = { CTD_BUSY_TIMEOUT_MS: '300' };
    const code = await runCli(['scan', join(dir, 'logs'), '--data-dir', data], t.io);
    release();
    expect(code).toBe(2);
    const err = t.err.join('');
    expect(err).toMatch(/index is busy: another CTD Workbench process/);
    expect(err).not.toMatch(/\bat \S+ \(/);
    await done;
  });
});
