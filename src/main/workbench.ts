import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventName, EventPayloadOf, Handlers } from '../shared/contract/index';
import { analyzers } from './analysis/analyzers';
import { RuleRegistry } from './analysis/rules/registry';
import type { WorkbenchContext } from './context';
import { userRulesConfig } from './features/crashlog/handlers';
import { sweepStaleExports } from './features/bundle/handlers';
import { PathGrants } from './sources/path-check';
import { NewIncidentWatch } from './notify/new-incidents';
import { readPreferences } from './features/preferences/preferences';
import { storeSettings } from './features/preferences/settings-access';
import { BisectService } from './sources/setup/bisect-service';
import { SetupService } from './sources/setup/setup-service';
import { FolderSources } from './sources/folder-sources';
import { withRetention } from './features/preferences/retention-sources';
import { indexFile, SqliteIncidentStore } from './store/sqlite-store';

export interface WorkbenchConfig {
  dataDir: string;
  transport: WorkbenchContext['transport'];
  /** Where to send push events; transports fan them out to renderers. */
  emit?: <K extends EventName>(name: K, payload: EventPayloadOf<K>) => void;
  /** Folders to add to settings and scan at start (e.g. `npm run serve -- <folder>`). */
  initialFolders?: string[];
  /** Database file; defaults to <dataDir>/index.sqlite. */
  dbPath?: string;
  /** Watch remembered folders for new files (off in tests/CLI). */
  watch?: boolean;
  appVersion?: string;
  /** How long a write waits for another process's (default DEFAULT_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** The index, already opened by the caller (the CLI's scan, which looks before it loads this). */
  store?: SqliteIncidentStore;
}

export interface Workbench {
  readonly handlers: Handlers;
  readonly ctx: WorkbenchContext;
  /** Set when a corrupt index was moved aside and rebuilt at start. */
  readonly recoveredFrom: string | null;
  /** Resolves when queued scans are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root. Both transports (Electron IPC in ipc.ts, the serve-mode bridge in
 * server/) and the CLI build the same services through this function.
 */
export async function createWorkbench(config: WorkbenchConfig): Promise<Workbench> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const dirs = { captures: join(dataDir, 'captures'), imports: join(dataDir, 'bundles') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const store =
    config.store ??
    SqliteIncidentStore.open(indexFile(dataDir, config.dbPath), dataDir, {
      busyTimeoutMs: config.busyTimeoutMs,
    });
  const emit: WorkbenchContext['emit'] = (name, payload) => config.emit?.(name, payload);
  const rules = new RuleRegistry(() => userRulesConfig(dataDir, store));
  const prefs = () => readPreferences(storeSettings(store));
  const news = new NewIncidentWatch(store);
  const setup = new SetupService(store.setup, store);
  const bisect = new BisectService(dataDir, setup);
  // The running app notes the setups in use (not the CLI or tests: no watcher there).
  const stopObserving = config.watch ? setup.observeEvery(10 * 60_000) : () => undefined;
  const folderSources = new FolderSources({
    store,
    analyzers,
    rules,
    internalFolders: Object.values(dirs),
    watch: config.watch ?? false,
    analysisWorkers: true,
    onChanged: (ids, reason) => {
      emit('incidents:changed', { ids, reason });
      // Looked at on every change so turning notifications on later does not replay old news.
      const fresh = news.check();
      if (fresh && prefs().notifyNewIncidents) emit('notify:newIncidents', fresh);
    },
    onProgress: (p) => emit('scan:progress', p),
    onIncident: (i) => setup.prepareIncident(i),
  });
  // Captures and imports are followed by retention of the data folder (never the user's folders).
  const sources = withRetention(folderSources, dirs, () => prefs().retention);
  const ctx: WorkbenchContext = {
    dataDir,
    transport: config.transport,
    appVersion: config.appVersion ?? '0.0.0',
    emit,
    store,
    sources,
    rules,
    dirs,
    grants: new PathGrants(),
    storage: { clean: () => sources.clean() },
    setup,
    bisect,
  };

  // The CLI calls the services directly: no handler table, so no feature or contract schema
  // loads for a `scan` (issue 15).
  const handlers =
    config.transport === 'cli'
      ? null
      : (await import('./workbench-handlers')).buildHandlers(ctx, async () => {
          store.recover();
          emit('incidents:changed', { ids: [], reason: 'recovered' });
          await sources.scan();
        });

  // Best effort: a sweep that fails leaves files a later start removes.
  void sweepStaleExports(ctx).catch(() => undefined);
  for (const f of config.initialFolders ?? []) await sources.addFolder(f);
  if (store.recoveredFrom || !config.initialFolders?.length) {
    // A recovered (emptied) index is rebuilt from the files right away.
    if (store.recoveredFrom) await sources.scan();
  }

  return {
    get handlers(): Handlers {
      if (!handlers) throw new Error('The CLI workbench has no handler table: call ctx services directly.');
      return handlers;
    },
    ctx,
    recoveredFrom: store.recoveredFrom,
    idle: () => folderSources.idle(),
    async close() {
      stopObserving();
      folderSources.close();
      await folderSources.idle();
      store.close();
    },
  };
}
