import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ScanResult } from '../../shared/contract/incidents';
import type { AnalyzerEnv, ArtifactAnalyzer } from '../analysis/artifact-analyzer';
import type { RuleRegistry } from '../analysis/rules/registry';
import type { SqliteIncidentStore } from '../store/sqlite-store';
import { AnalysisPool } from './analysis-pool';
import { ingestFolder, type IncidentHook, type IngestResult } from './ingest';
import type { SourceService } from './source-service';
import { describeFsError } from './walk';
import { emptyScanResult } from './scan-result';
import { FolderWatcher } from './watcher';

export class BadFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadFolderError';
  }
}

export interface FolderSourcesOptions {
  store: SqliteIncidentStore;
  analyzers: readonly ArtifactAnalyzer[];
  /** The workbench's rules in force, handed to every analysis (in-process or in a worker). */
  rules: RuleRegistry;
  /** The workbench's own folders (captures, imported bundles): always scanned, never listed. */
  internalFolders: string[];
  watch: boolean;
  /**
   * Analyse big scans in worker threads. Only for the registered analyzers (the workers load
   * them themselves); a caller passing its own analyzer list leaves this off.
   */
  analysisWorkers?: boolean;
  onChanged: (ids: string[], reason: string) => void;
  /** Per built incident, before it is written (mod setup; see ingest.ts). */
  onIncident?: IncidentHook;
  onProgress: (p: { folder: string; filesSeen: number; done: boolean }) => void;
}

const FOLDERS_KEY = 'folders';

/**
 * Remembered folders + scanning. Scans run one at a time (a queue), so the watcher, the UI
 * and a capture can all ask for a scan without two writers racing over the same rows.
 */
export class FolderSources implements SourceService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ignoredHeads = new Set<string>();
  private readonly watcher: FolderWatcher | null;
  private readonly pool: AnalysisPool | null;
  private readonly env: AnalyzerEnv;

  constructor(private readonly o: FolderSourcesOptions) {
    this.env = { rules: () => o.rules.active() };
    this.pool = o.analysisWorkers ? new AnalysisPool(o.analyzers, o.rules) : null;
    this.watcher = o.watch
      ? new FolderWatcher((folder) => {
          void this.scanFolder(folder).catch(() => undefined);
        })
      : null;
    this.watcher?.set(this.allFolders());
  }

  folders(): string[] {
    return this.o.store.getSetting<string[]>(FOLDERS_KEY, []);
  }

  private allFolders(): string[] {
    return [...this.folders(), ...this.o.internalFolders];
  }

  async addFolder(path: string): Promise<string[]> {
    const abs = resolve(path);
    try {
      const st = await stat(abs);
      if (!st.isDirectory()) throw new BadFolderError(`Not a folder: ${abs}`);
    } catch (e) {
      if (e instanceof BadFolderError) throw e;
      throw new BadFolderError(describeFsError(e, abs));
    }
    const list = this.folders();
    if (!list.includes(abs)) this.o.store.setSetting(FOLDERS_KEY, [...list, abs]);
    this.watcher?.set(this.allFolders());
    await this.scanFolder(abs);
    return this.folders();
  }

  async removeFolder(path: string): Promise<string[]> {
    const abs = resolve(path);
    this.o.store.setSetting(
      FOLDERS_KEY,
      this.folders().filter((f) => f !== abs),
    );
    this.watcher?.set(this.allFolders());
    await this.enqueue(() => {
      const ids = this.o.store.incidentIdsInFolder(abs);
      this.o.store.transaction(() => this.o.store.deleteIncidents(ids));
      if (ids.length) this.o.onChanged(ids, 'folder-removed');
      return Promise.resolve();
    });
    return this.folders();
  }

  async scan(folders?: string[]): Promise<ScanResult> {
    const list = folders?.map((f) => resolve(f)) ?? this.allFolders();
    const total = emptyScanResult();
    const started = performance.now();
    for (const f of list) {
      const r = await this.scanFolder(f);
      total.scannedFolders.push(...r.scannedFolders);
      total.incidents += r.incidents;
      total.added += r.added;
      total.updated += r.updated;
      total.removed += r.removed;
      total.filesRead += r.filesRead;
      total.errors.push(...r.errors);
    }
    total.durationMs = performance.now() - started;
    return total;
  }

  scanFolder(path: string): Promise<ScanResult> {
    return this.enqueue(async () => {
      const r: IngestResult = await ingestFolder(this.o.store, path, {
        analyzers: this.o.analyzers,
        env: this.env,
        onProgress: this.o.onProgress,
        ignoredHeads: this.ignoredHeads,
        ...(this.pool ? { pool: this.pool } : {}),
        ...(this.o.onIncident ? { onIncident: this.o.onIncident } : {}),
      });
      if (r.changedIds.length) this.o.onChanged(r.changedIds, 'scan');
      const { changedIds: _ignored, ...rest } = r;
      return rest;
    }).finally(() => this.releaseWorkersWhenIdle());
  }

  private queued = 0;

  /** Worker threads end once no scan is queued (a long-running app would otherwise keep them). */
  private releaseWorkersWhenIdle(): void {
    if (this.queued === 0) this.pool?.release();
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = () => fn().finally(() => this.queued--);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued scan has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  close(): void {
    this.watcher?.close();
    this.pool?.close();
  }
}
