import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResponseOf } from '../../../src/shared/contract/index';
import type { Trends } from '../../../src/shared/domain/trends';
import type { Preferences, PreferencesState, StorageUsage } from '../../../src/shared/contract/preferences';
import { FakeFailure, installFakeBridge, resetStores, settle, standIn } from './fake-bridge';

// The api client, the app shell's store, folders, trends and preferences, against a fake transport on window.ctd.
const bridge = installFakeBridge();
const { ApiError, errorCode, invoke } = await import('../../../src/renderer/src/api/client');
const { useAppStore } = await import('../../../src/renderer/src/app/app-store');
const { useFolderStore } = await import('../../../src/renderer/src/features/folders/folder-store');
const { useTrendsStore } = await import('../../../src/renderer/src/features/trends/trends-store');
const { usePreferencesStore } =
  await import('../../../src/renderer/src/features/preferences/preferences-store');

const scanResult: ResponseOf<'incidents:scan'> = {
  scannedFolders: ['D:/logs'],
  incidents: 3,
  added: 3,
  updated: 0,
  removed: 0,
  filesRead: 9,
  durationMs: 5,
  errors: [],
};

beforeEach(() => resetStores(useAppStore, useFolderStore, useTrendsStore, usePreferencesStore));
afterEach(async () => {
  vi.useRealTimers();
  expect(bridge.badRequests).toEqual([]);
  await bridge.reset();
});

describe('api client', () => {
  it('turns a failed call into an ApiError carrying the code main gave', async () => {
    bridge.reply('incidents:get', () => {
      throw new FakeFailure('store_corrupt', 'The index file is damaged.');
    });
    const e: unknown = await invoke('incidents:get', { id: 'x' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'store_corrupt', message: 'The index file is damaged.' });
    expect(errorCode(e)).toBe('store_corrupt');
    expect(errorCode(new Error('plain'))).toBeNull();
  });

  it('hands back the response of a call that worked', async () => {
    bridge.reply('folders:list', () => ['D:/logs']);
    await expect(invoke('folders:list', {})).resolves.toEqual(['D:/logs']);
  });
});

describe('app store', () => {
  it('shows a notice for a while: errors longer than the rest', () => {
    vi.useFakeTimers();
    useAppStore.getState().notify('Copied');
    vi.advanceTimersByTime(3999);
    expect(useAppStore.getState().toast).toEqual({ text: 'Copied', tone: 'info' });
    vi.advanceTimersByTime(1);
    expect(useAppStore.getState().toast).toBeNull();

    useAppStore.getState().notify('Import failed', 'error');
    vi.advanceTimersByTime(7999);
    expect(useAppStore.getState().toast?.tone).toBe('error');
    // A newer notice replaces the older one and gets its own time.
    useAppStore.getState().notify('Copied again');
    vi.advanceTimersByTime(3999);
    expect(useAppStore.getState().toast?.text).toBe('Copied again');
    vi.advanceTimersByTime(1);
    expect(useAppStore.getState().toast).toBeNull();
  });

  it('keeps the status bar quiet when app info cannot be read', async () => {
    bridge.reply('app:info', () => {
      throw new FakeFailure('transport', 'Cannot reach the workbench service (serve mode).');
    });
    await useAppStore.getState().loadInfo();
    expect(useAppStore.getState().info).toBeNull();
  });
});

describe('folder store', () => {
  it('asks for a path before sending an empty one, and trims the one it sends', async () => {
    await expect(useFolderStore.getState().add('   ')).resolves.toBe(false);
    expect(useFolderStore.getState().error).toBe('Type the path of a folder first.');
    expect(bridge.calls).toHaveLength(0);

    bridge.reply('folders:add', ({ path }) => [path]);
    await expect(useFolderStore.getState().add('  D:/logs ')).resolves.toBe(true);
    expect(bridge.requests('folders:add')).toEqual([{ path: 'D:/logs' }]);
    expect(useFolderStore.getState()).toMatchObject({ folders: ['D:/logs'], busy: null, error: null });
  });

  it('names the folder in the message when main does not', async () => {
    bridge.reply('folders:add', () => {
      throw new FakeFailure('not_found', 'No such folder.');
    });
    await useFolderStore.getState().add('D:/nope');
    expect(useFolderStore.getState().error).toBe('Cannot open "D:/nope". No such folder.');

    bridge.reply('folders:add', ({ path }) => {
      throw new FakeFailure('not_found', `${path} does not exist`);
    });
    await useFolderStore.getState().add('D:/nope');
    expect(useFolderStore.getState().error).toBe('Cannot open that folder. D:/nope does not exist');
  });

  it('runs one scan or rebuild at a time', async () => {
    const scanning = useFolderStore.getState().rescan();
    await useFolderStore.getState().rescan();
    await useFolderStore.getState().rebuild();
    expect(bridge.calls.map((c) => c.name)).toEqual(['incidents:scan']);
    expect(useFolderStore.getState().busy).toBe('scan');

    await bridge.answer(bridge.open('incidents:scan')[0]!, scanResult);
    await scanning;
    expect(useFolderStore.getState()).toMatchObject({ busy: null, lastScan: scanResult });

    bridge.reply('db:rebuild', () => {
      throw new FakeFailure('store_locked', 'The index is in use.');
    });
    await useFolderStore.getState().rebuild();
    expect(useFolderStore.getState()).toMatchObject({ busy: null, error: 'The index is in use.' });
  });

  it('shows scan progress until the scan says it is done', () => {
    useFolderStore.getState().onProgress({ folder: 'D:/logs', filesSeen: 40, done: false });
    expect(useFolderStore.getState().progress?.filesSeen).toBe(40);
    useFolderStore.getState().onProgress({ folder: 'D:/logs', filesSeen: 90, done: true });
    expect(useFolderStore.getState().progress).toBeNull();
  });
});

describe('trends store', () => {
  it('asks for the chosen range and shows only the newest answer', async () => {
    useTrendsStore.getState().setDays(7);
    useTrendsStore.getState().setDays(90);
    const [week, quarter] = bridge.open('trends:get');
    expect(week?.request).toMatchObject({ days: 7 });
    expect(quarter?.request).toMatchObject({ days: 90 });

    await bridge.answer(quarter!, standIn<Trends>({ days: 90 }));
    await bridge.answer(week!, standIn<Trends>({ days: 7 }));
    expect(useTrendsStore.getState()).toMatchObject({ days: 90, data: { days: 90 }, loading: false });

    void useTrendsStore.getState().load();
    void useTrendsStore.getState().load();
    const [older, newer] = bridge.open('trends:get');
    await bridge.fail(older!, 'internal', 'old failure');
    expect(useTrendsStore.getState()).toMatchObject({ error: null, loading: true });
    await bridge.fail(newer!, 'internal', 'new failure');
    expect(useTrendsStore.getState()).toMatchObject({
      error: 'new failure',
      loading: false,
      data: { days: 90 },
    });
  });

  it('asks for one game only when one is chosen', () => {
    useTrendsStore.getState().setGame('skyrim');
    expect(bridge.open('trends:get')[0]?.request).toMatchObject({ game: 'skyrim' });
    useTrendsStore.getState().setGame(null);
    expect(bridge.open('trends:get')[1]?.request).not.toHaveProperty('game');
  });
});

describe('preferences store', () => {
  const prefs: Preferences = {
    captureHotkey: '',
    notifyNewIncidents: true,
    retention: { maxBytes: 0, maxAgeDays: 0 },
    symbolDirs: [],
  };
  const usage = (maxAgeDays: number): StorageUsage => ({
    captures: { folder: 'D:/data/captures', items: 0, bytes: 0, oldest: null },
    bundles: { folder: 'D:/data/bundles', items: 0, bytes: 0, oldest: null },
    totalBytes: 0,
    retention: { maxBytes: 0, maxAgeDays },
  });

  it('saves a change, and reads storage use again when retention changed', async () => {
    bridge.reply('preferences:set', (p) => ({
      prefs: { ...prefs, ...p },
      hotkey: standIn<PreferencesState['hotkey']>(),
    }));
    bridge.reply('storage:usage', () => usage(30));
    await expect(usePreferencesStore.getState().save({ notifyNewIncidents: false })).resolves.toBe(true);
    expect(bridge.requests('storage:usage')).toEqual([]);
    await expect(
      usePreferencesStore.getState().save({ retention: { maxBytes: 0, maxAgeDays: 30 } }),
    ).resolves.toBe(true);
    await settle();
    expect(usePreferencesStore.getState()).toMatchObject({
      saving: false,
      error: null,
      state: { prefs: { retention: { maxAgeDays: 30 } } },
      usage: { retention: { maxAgeDays: 30 } },
    });
  });

  it('says why a change was refused', async () => {
    bridge.reply('preferences:set', () => {
      throw new FakeFailure('bad_request', 'symbolDirs.0: folder does not exist');
    });
    await expect(usePreferencesStore.getState().save({ symbolDirs: ['D:/nope'] })).resolves.toBe(false);
    expect(usePreferencesStore.getState()).toMatchObject({
      saving: false,
      error: 'symbolDirs.0: folder does not exist',
    });
  });
});
