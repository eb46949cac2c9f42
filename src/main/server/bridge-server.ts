import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Handlers } from '../../shared/contract/index';
import {
  TOKEN_PARAM,
  WS_PATH,
  WS_PROTOCOL,
  WS_TOKEN_PROTOCOL_PREFIX,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/contract/wire';
import { dispatch } from '../dispatch';
import { contentSecurityPolicy } from './csp';
import { contentTypeOf } from './mime';

export interface BridgeOptions {
  handlers: Handlers;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
  version?: string;
}

export interface BridgeServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  broadcast(name: string, payload: unknown): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `new URL` and `decodeURIComponent` throw on hostile input; a request must never end the process. */
function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** The token offered in the WebSocket handshake: a `ctd.token.<t>` subprotocol, or `?token=` (CLI tools). */
function handshakeToken(req: IncomingMessage, url: URL): string | null {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const fromProtocol = offered.find((p) => p.startsWith(WS_TOKEN_PROTOCOL_PREFIX));
  if (fromProtocol) return fromProtocol.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  return url.searchParams.get(TOKEN_PARAM);
}

/**
 * Serve mode's loopback bridge: the built renderer over HTTP and the IPC contract over one
 * WebSocket per page. Binds 127.0.0.1 only; the Host header must be our loopback address (DNS
 * rebinding) and a WebSocket's Origin must be our own origin.
 *
 * The static files are the public renderer bundle and need no secret. The per-launch token guards
 * the API only: the page takes it from the printed URL into sessionStorage and offers it in the
 * WebSocket handshake. It is never set as a cookie, because browsers send 127.0.0.1 cookies to
 * every local port, i.e. to any other local service the user's browser visits.
 *
 * Nothing a client sends may end the process: bad escapes get a 400, sockets have error
 * listeners, and a malformed message gets an error reply (oversized or invalid UTF-8 frames a
 * clean close by `ws`, with the code the protocol defines).
 */
export async function startBridgeServer(o: BridgeOptions): Promise<BridgeServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const root = resolve(o.rendererDir);
  const clients = new Set<WebSocket>();
  let origin = '';
  let port = 0;

  const hostOk = (req: IncomingMessage) => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  const deny = (res: ServerResponse, code: number, msg: string) => {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(msg);
  };

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    const url = parseRequestUrl(req.url);
    if (!url) return deny(res, 400, 'Bad request');
    if (!hostOk(req)) return deny(res, 421, 'Wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed');
    let rel = decodePath(url.pathname);
    if (rel === null || rel.includes('\0')) return deny(res, 400, 'Bad request: malformed path');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile())
      return deny(res, 404, 'Not found');
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(file),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = contentSecurityPolicy(
        `ws://127.0.0.1:${port} ws://localhost:${port}`,
      );
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  // Node answers malformed HTTP with 400 itself once a listener exists; without one a reset
  // socket's error would be unhandled.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Echo our protocol, never the token one.
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('error', () => undefined);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseRequestUrl(req.url);
    const reqOrigin = req.headers.origin ?? '';
    const okOrigin = reqOrigin === origin || reqOrigin === `http://localhost:${port}`;
    const t = url ? handshakeToken(req, url) : null;
    if (!url || url.pathname !== WS_PATH || !hostOk(req) || !okOrigin || !t || !sameSecret(t, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      // `ws` reports oversized and invalid-UTF-8 frames here, then closes with 1009 / 1007.
      ws.on('error', () => ws.terminate());
      ws.on('close', () => clients.delete(ws));
      send(ws, { t: 'hello', version: o.version ?? '0.0.0' });
      ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    });
  });

  const onMessage = (ws: WebSocket, data: RawData, isBinary: boolean) => {
    const bad = (id: number | null, message: string) =>
      send(
        ws,
        id === null
          ? { t: 'error', error: { code: 'bad_message', message } }
          : { t: 'res', id, ok: false, error: { code: 'bad_request', message } },
      );
    if (isBinary) return bad(null, 'Binary frames are not part of the protocol; send JSON text.');
    let msg: unknown;
    try {
      msg = JSON.parse(rawText(data));
    } catch {
      return bad(null, 'The message is not JSON.');
    }
    const m = msg as Partial<ClientMessage> | null;
    const id = typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
    if (!m || typeof m !== 'object' || m.t !== 'req' || id === null || typeof m.ch !== 'string')
      return bad(id, 'Expected { t: "req", id: <integer>, ch: <channel>, req: <request> }.');
    dispatch(o.handlers, m.ch, m.req).then(
      (r) =>
        send(ws, r.ok ? { t: 'res', id, ok: true, res: r.res } : { t: 'res', id, ok: false, error: r.error }),
      (e: unknown) => send(ws, { t: 'res', id, ok: false, error: { code: 'internal', message: String(e) } }),
    );
  };

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, '127.0.0.1', () => res());
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    broadcast(name, payload) {
      for (const c of clients) send(c, { t: 'evt', name, payload });
    },
    async close() {
      for (const c of clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(msg, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (e) {
    // A response that cannot be serialised still answers its request.
    if (msg.t !== 'res') return;
    text = JSON.stringify({
      t: 'res',
      id: msg.id,
      ok: false,
      error: { code: 'internal', message: `Response could not be sent: ${(e as Error).message}` },
    } satisfies ServerMessage);
  }
  ws.send(text);
}
