import type { Recycler } from './buffer-pool';
import type { ByteEngine } from './byte-engine';
import { scanHere, type ScanPool, type ScanResult } from './scan-pool';

/** What a pass needs of the scan pool. */
export type ScanWorkers = Pick<ScanPool, 'available' | 'trySubmit' | 'minBytes'>;

interface Queued {
  result: Promise<ScanResult> | ScanResult;
  /** The scan is over (its values can be learned without waiting). */
  done: boolean;
  then: (r: ScanResult) => void;
}

/**
 * A text file's discovery scans, shared with worker threads: each piece goes to a free worker, or
 * is scanned here when none is (so this thread never waits for a worker), and every piece's
 * values are learned in the order the pieces were added. Output, stand-ins and counts are then
 * those of one thread scanning and learning piece after piece; a piece scanned before values
 * of earlier pieces were learned carries its identity version, and the scan cache searches it
 * again for the literals learned since (ScanCache.take).
 */
export class OrderedScans {
  private readonly queue: Queued[] = [];
  /** Pieces a worker scanned. */
  onWorkers = 0;

  constructor(
    private readonly engine: ByteEngine,
    private readonly learnedFrom: string,
    private readonly workers: ScanWorkers,
    // A piece on a worker holds its read buffer until answered.
    private readonly buffers: Recycler,
  ) {}

  /** Scans `bytes`; once every piece before it is learned, learns its values and calls `then`. */
  async add(bytes: Buffer, then: (r: ScanResult) => void): Promise<void> {
    const sent = this.workers.trySubmit(this.engine, bytes);
    const q: Queued = {
      result: sent ?? scanHere(this.engine, bytes),
      done: !sent,
      then,
    };
    if (sent) {
      this.onWorkers++;
      this.buffers.lend(bytes);
      void sent.then(() => {
        q.done = true;
        this.buffers.give(bytes);
      });
    }
    this.queue.push(q);
    while (this.queue[0]?.done) await this.learnHead();
  }

  /** Waits for the pieces still on workers and learns them. */
  async finish(): Promise<void> {
    while (this.queue.length) await this.learnHead();
  }

  private async learnHead(): Promise<void> {
    const q = this.queue.shift()!;
    const r = await q.result;
    this.engine.learn(r.found, this.learnedFrom);
    q.then(r);
  }
}
