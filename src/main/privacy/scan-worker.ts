/**
 * Redaction scan worker (worker_threads): scans pieces of text files for the export's
 * discovery pass; see scan-pool.ts for the protocol. It keeps one engine per session it has
 * seen (a few at most), with a copy of that session's identities at the version last sent.
 */
import { parentPort } from 'node:worker_threads';
import { ByteEngine, type IdentityView } from './byte-engine';
import type { Identity } from './identities';
import type { ScanReply, ScanRequest } from './scan-pool';

/** A session's identities as the main thread last sent them. Learning is the main thread's job. */
class IdentityCopy implements IdentityView {
  version = -1;
  private items: Identity[] = [];

  set(version: number, items: Identity[]): void {
    this.version = version;
    this.items = items;
  }

  list(): Identity[] {
    return this.items;
  }

  add(): boolean {
    throw new Error('scan worker: identities are learned by the main thread');
  }
}

const MAX_ENGINES = 4;
const engines = new Map<number, { engine: ByteEngine; ids: IdentityCopy }>();
const port = parentPort;

function handle(req: ScanRequest): ScanReply {
  let e = engines.get(req.engine);
  if (!e) {
    if (!req.rules) return { id: req.id, error: 'scan worker: rules never sent for this session' };
    const ids = new IdentityCopy();
    e = { engine: new ByteEngine(req.rules, ids), ids };
    engines.set(req.engine, e);
    if (engines.size > MAX_ENGINES) engines.delete(engines.keys().next().value!);
  }
  if (req.identities) e.ids.set(req.version, req.identities);
  if (e.ids.version !== req.version)
    return { id: req.id, error: `scan worker: holds identities ${e.ids.version}, asked for ${req.version}` };
  const bytes = Buffer.from(req.bytes, req.start, req.end - req.start);
  const { spans, found } = e.engine.scanDeferred(bytes, 'text');
  return { id: req.id, spans, found };
}

if (port) {
  port.on('message', (req: ScanRequest) => {
    let reply: ScanReply;
    try {
      reply = handle(req);
    } catch (err) {
      reply = { id: req.id, error: String(err) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies ScanReply);
}
