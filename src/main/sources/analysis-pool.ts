import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ArtifactRole } from '../../shared/domain/incident';
import type { AnalyzerEnv, ArtifactAnalyzer } from '../analysis/artifact-analyzer';
import type { RuleRegistry, UserRulesConfig } from '../analysis/rules/registry';
import { hasWorkerScript, startWorker } from '../platform/worker-script';
import { analyseFile, type FileAnalysis, type FileToAnalyse } from './analyse-file';

export interface PoolRequest {
  id: number;
  file: FileToAnalyse;
  role: ArtifactRole;
  /** The main thread's rule configuration at dispatch (workers have no settings store). */
  userRules: UserRulesConfig | null;
}

export type PoolResponse = { id: number; analysis: FileAnalysis } | { id: number; error: string };

/** Analyses one file (in this thread or in a worker). */
export type AnalyseFn = (file: FileToAnalyse, role: ArtifactRole) => Promise<FileAnalysis>;

/**
 * A worker analyses one file at a time and keeps nothing between files, yet left to V8's
 * defaults its heap kept growing over a long scan (issue 15: scan RSS grew with the number of
 * incidents). A small young generation and a cap on the old one keep it flat. A file whose
 * analysis needs more ends the worker; the pool then analyses in-process (see `fail`).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 192 };

/** Below this many files a scan analyses in-process: starting a worker costs more than it saves. */
export const POOL_MIN_FILES = 64;

interface Slot {
  worker: Worker;
  inFlight: number;
}

/**
 * Worker threads for the CPU-heavy half of a scan (hashing, minidump/crash-log/ETL analysis,
 * rules). The scanning thread keeps walking, grouping and writing SQLite meanwhile, so a cold
 * index of thousands of files uses every core. Any failure to start or run a worker falls back
 * to analysing in-process: a scan never fails because of the pool.
 */
export class AnalysisPool {
  private slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve(a: FileAnalysis): void; task: PoolRequest }>();
  private nextId = 1;
  private broken = false;
  private rulesAt: { at: number; config: UserRulesConfig | null } | null = null;
  /** In-process analysis (small scans, fallback) with the same rules the workers are sent. */
  private readonly env: AnalyzerEnv;

  constructor(
    private readonly analyzers: readonly ArtifactAnalyzer[],
    private readonly rules: RuleRegistry,
    private readonly size = defaultPoolSize(),
  ) {
    this.env = { rules: () => rules.active() };
  }

  /** False where no worker script exists (e.g. a bundle without the worker entry). */
  get available(): boolean {
    return !this.broken && this.size > 0 && hasWorkerScript('analysis-worker', __dirname);
  }

  analyse: AnalyseFn = (file, role) => {
    if (!this.available) return analyseFile(file, role, this.analyzers, this.env);
    const slot = this.pick();
    if (!slot) return analyseFile(file, role, this.analyzers, this.env);
    const task: PoolRequest = {
      id: this.nextId++,
      file: { path: file.path, size: file.size },
      role,
      userRules: this.rulesConfig(),
    };
    return new Promise<FileAnalysis>((resolve) => {
      this.pending.set(task.id, { resolve, task });
      slot.inFlight++;
      slot.worker.postMessage(task);
    });
  };

  /**
   * Starts the workers now rather than at the first file: each loads and compiles the analyzers
   * (~0.2 s) while the scanning thread is still walking and grouping, instead of after it. For
   * a scan that will analyse many files (a cold scan); a no-op where workers cannot run.
   */
  warm(): void {
    if (!this.available) return;
    while (this.slots.length < this.size) if (!this.start()) return;
  }

  /** The rule configuration reads a setting; once a second is fresh enough for a scan. */
  private rulesConfig(): UserRulesConfig | null {
    const now = Date.now();
    if (!this.rulesAt || now - this.rulesAt.at > 1000)
      this.rulesAt = { at: now, config: this.rules.userConfig() };
    return this.rulesAt.config;
  }

  /**
   * Ends the workers between scans (each holds its own heap and compiled analyzers, tens of
   * MiB); the next big scan starts them again. Only when nothing is in flight.
   */
  release(): void {
    if (this.pending.size > 0) return;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) {
      // Their exit is expected: the failure handlers must not mark the pool broken.
      s.worker.removeAllListeners('exit');
      s.worker.removeAllListeners('error');
      s.worker.on('error', () => undefined);
      void s.worker.terminate();
    }
  }

  /** Workers alive now (tests). */
  get workerCount(): number {
    return this.slots.length;
  }

  close(): void {
    // Scans still queued after close analyse in-process.
    this.broken = true;
    for (const s of this.slots) void s.worker.terminate();
    this.slots = [];
    this.fallBackAll();
  }

  private pick(): Slot | null {
    if (this.slots.length < this.size) {
      const started = this.start();
      if (started) return started;
    }
    let best: Slot | null = null;
    for (const s of this.slots) if (!best || s.inFlight < best.inFlight) best = s;
    return best;
  }

  private start(): Slot | null {
    const worker = startWorker('analysis-worker', __dirname, WORKER_LIMITS);
    if (!worker) {
      this.broken = true;
      return null;
    }
    // A pool must never keep a CLI or test process alive.
    worker.unref();
    const slot: Slot = { worker, inFlight: 0 };
    worker.on('message', (m: PoolResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      slot.inFlight--;
      if ('analysis' in m) p.resolve(m.analysis);
      else void analyseFile(p.task.file, p.task.role, this.analyzers, this.env).then(p.resolve);
    });
    const fail = () => {
      // A dead worker's tasks are analysed here; later tasks too, for the rest of this run.
      this.broken = true;
      this.slots = this.slots.filter((s) => s !== slot);
      this.fallBackAll();
    };
    worker.on('error', fail);
    // Workers only end when closed; any other exit (even with code 0) is a failure.
    worker.on('exit', fail);
    this.slots.push(slot);
    return slot;
  }

  private fallBackAll(): void {
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left)
      void analyseFile(p.task.file, p.task.role, this.analyzers, this.env).then(p.resolve);
  }
}

function defaultPoolSize(): number {
  const env = Number(process.env.CTD_ANALYSIS_WORKERS);
  if (Number.isInteger(env) && env >= 0) return Math.min(env, 16);
  // Analysis is most of a cold scan's CPU; the scanning thread mostly waits on SQLite and the
  // disk, so it shares a core (measured on 2 cores: 2 workers 10.2 s, 1 worker 11.0 s).
  return Math.max(1, Math.min(4, availableParallelism()));
}
