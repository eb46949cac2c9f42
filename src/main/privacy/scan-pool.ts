import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { hasWorkerScript, startWorker } from '../platform/worker-script';
import type { ByteEngine, ByteSpan, FoundValue } from './byte-engine';
import type { Identity } from './identities';
import type { RuleSet } from './rules';

/**
 * Worker threads that scan pieces of a text file for the export's discovery pass, so a big log
 * is scanned on every core (issue 15: redaction is measured in wall-clock MB/s). A worker scans
 * exactly the piece it is given, with the rules and the identity literals the session had when
 * the piece was sent, and learns nothing: the caller learns the values it reports in the file's
 * order (ByteEngine.learn), so stand-ins and spans are the ones a single thread would give.
 *
 * Bytes travel in SharedArrayBuffers (no copy); the caller must not reuse one until the piece's
 * promise has settled. Any failure of a worker is answered by scanning in this thread.
 */
export interface ScanResult {
  spans: ByteSpan[];
  found: FoundValue[];
  /** The identity version the spans' literals belong to. */
  version: number;
}

export interface ScanRequest {
  id: number;
  engine: number;
  /** Sent the first time a worker sees this engine. */
  rules?: RuleSet;
  /** Sent when the worker's copy of the identities is older than `version`. */
  identities?: Identity[];
  version: number;
  bytes: SharedArrayBuffer;
  start: number;
  end: number;
}

export type ScanReply =
  | { id: number; spans: ByteSpan[]; found: FoundValue[] }
  | { id: number; error: string }
  /** Sent once, when the worker has loaded and can scan. */
  | { ready: true };

/** Pieces a worker may have queued: one being scanned, one waiting, so it never idles. */
const PER_WORKER = 2;
/** Workers end after this long without work (each holds its own heap and compiled rules). */
const IDLE_MS = 15_000;
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };

interface Slot {
  worker: Worker;
  /** Until a worker has loaded, pieces are scanned by the caller (see pick). */
  ready: boolean;
  inFlight: number;
  /** Per engine id: the identity version this worker holds (absent: it has not seen the engine). */
  versions: Map<number, number>;
}

interface Pending {
  slot: Slot;
  version: number;
  resolve(r: ScanResult): void;
  fallback(): ScanResult;
}

export class ScanPool {
  private slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly engineIds = new WeakMap<ByteEngine, number>();
  private nextEngine = 1;
  private nextId = 1;
  private broken = false;
  private idle: NodeJS.Timeout | null = null;
  private readyWaiters: (() => void)[] = [];

  /**
   * @param minBytes smaller files are scanned in the caller's thread only: a worker's start (its
   *   modules, its compiled rules) costs about what scanning 30-60 MB does.
   */
  constructor(
    readonly size = defaultPoolSize(),
    readonly minBytes = 64 * 1024 * 1024,
  ) {}

  get available(): boolean {
    return !this.broken && this.size > 0 && hasWorkerScript('scan-worker', __dirname);
  }

  /**
   * Scans `bytes` (a view of a SharedArrayBuffer) on a worker with room for it, or returns
   * null (none free, or no workers here): the caller then scans it itself.
   */
  trySubmit(engine: ByteEngine, bytes: Buffer): Promise<ScanResult> | null {
    if (!this.available || !(bytes.buffer instanceof SharedArrayBuffer)) return null;
    const slot = this.pick();
    if (!slot) return null;
    let eid = this.engineIds.get(engine);
    if (eid === undefined) {
      eid = this.nextEngine++;
      this.engineIds.set(engine, eid);
    }
    const version = engine.identities.version;
    const req: ScanRequest = {
      id: this.nextId++,
      engine: eid,
      version,
      bytes: bytes.buffer,
      start: bytes.byteOffset,
      end: bytes.byteOffset + bytes.length,
    };
    const held = slot.versions.get(eid);
    if (held === undefined) req.rules = engine.rules;
    if (held !== version) {
      req.identities = engine.identities.list();
      slot.versions.set(eid, version);
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    return new Promise<ScanResult>((resolve) => {
      const fallback = () => scanHere(engine, bytes);
      this.pending.set(req.id, { slot, version, resolve, fallback });
      // Ref'd while it owes an answer: the caller may have nothing else keeping the process up.
      if (slot.inFlight++ === 0) slot.worker.ref();
      slot.worker.postMessage(req);
    });
  }

  /**
   * Starts the workers and resolves once each has loaded (or the pool gave up), so an export can
   * start them early and tests know pieces will be sent. Never rejects.
   */
  warm(): Promise<void> {
    if (!this.available) return Promise.resolve();
    while (this.slots.length < this.size && !this.broken) this.start();
    if (this.broken || this.slots.every((s) => s.ready)) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private wakeReady(): void {
    if (!this.broken && !this.slots.every((s) => s.ready)) return;
    const w = this.readyWaiters;
    this.readyWaiters = [];
    for (const f of w) f();
  }

  /** Workers alive now (tests). */
  get workerCount(): number {
    return this.slots.length;
  }

  close(): void {
    this.broken = true;
    this.stopAll();
    this.fallBackAll();
  }

  private stopAll(): void {
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

  /**
   * A loaded worker with room, or null. Workers are started here but get nothing until they
   * have loaded: meanwhile the caller scans and learns in order, so the first pieces (which
   * usually teach the names) are not scanned with an identity set about to be outdated.
   */
  private pick(): Slot | null {
    if (this.slots.length < this.size) this.start();
    let best: Slot | null = null;
    for (const s of this.slots)
      if (s.ready && s.inFlight < PER_WORKER && (!best || s.inFlight < best.inFlight)) best = s;
    return best;
  }

  private start(): void {
    const worker = startWorker('scan-worker', __dirname, WORKER_LIMITS);
    if (!worker) {
      this.broken = true;
      return;
    }
    const slot: Slot = { worker, ready: false, inFlight: 0, versions: new Map() };
    worker.on('message', (m: ScanReply) => {
      if ('ready' in m) {
        slot.ready = true;
        if (slot.inFlight === 0) worker.unref();
        this.wakeReady();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (--slot.inFlight === 0) slot.worker.unref();
      if ('spans' in m) p.resolve({ spans: m.spans, found: m.found, version: p.version });
      else p.resolve(p.fallback());
      if (this.pending.size === 0) this.idleSoon();
    });
    const fail = () => {
      // A dead worker's pieces are scanned here; later pieces too, for the rest of this run.
      this.broken = true;
      this.slots = this.slots.filter((s) => s !== slot);
      this.fallBackAll();
    };
    worker.on('error', fail);
    // Workers only end when stopped; any other exit (even with code 0) is a failure.
    worker.on('exit', fail);
    // A new worker is ref'd, and stays so while it starts or owes answers (trySubmit); it is
    // unref'd once ready and idle. An idle pool must never keep a CLI process alive (an export
    // would end only when the idle timer stopped the workers), and a busy one must, or a process
    // awaiting nothing but a scan would simply exit.
    this.slots.push(slot);
  }

  private idleSoon(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = null;
      if (this.pending.size === 0) this.stopAll();
    }, IDLE_MS);
    this.idle.unref();
  }

  private fallBackAll(): void {
    this.wakeReady();
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) p.resolve(p.fallback());
  }
}

/**
 * One worker per core but two (at most 3), or CTD_REDACT_WORKERS (a number; 0 turns them off).
 * The exporting thread reads, learns every value in order and scans too; since the matcher's
 * inner loop runs in WebAssembly (dfa-kernel.ts) a worker no longer pays on 2 cores: the
 * 200 MB benchmark's child, 5 alternating runs, quiet: 966 ms median wall in one thread
 * against 1,015 ms with one worker, 1.13 s CPU against 1.66 s, 115 MB peak RSS against
 * 150 MB. (Before the kernel one worker gained 6% wall.) With 3 or more cores discovery is
 * still shared. Files under `minBytes` never use them.
 */
function defaultPoolSize(): number {
  const v = process.env.CTD_REDACT_WORKERS;
  const n = Number(v);
  if (v !== undefined && v !== 'auto' && Number.isInteger(n) && n >= 0) return Math.min(n, 8);
  return Math.max(0, Math.min(3, availableParallelism() - 2));
}

/** A piece scanned in the calling thread, as a worker would have (its values not learned). */
export function scanHere(engine: ByteEngine, bytes: Buffer): ScanResult {
  return { ...engine.scanDeferred(bytes, 'text'), version: engine.identities.version };
}

let shared: ScanPool | null = null;

/** The process's pool (workers start on first use and end when idle). */
export function scanPool(): ScanPool {
  shared ??= new ScanPool();
  return shared;
}
