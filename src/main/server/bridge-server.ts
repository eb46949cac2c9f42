import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Handlers } from '../../shared/contract/index';
import { TOKEN_PARAM, WS_PATH, type ClientMessage, type ServerMessage } from '../../shared/contract/wire';
import { dispatch } from '../dispatch';
import { contentSecurityPolicy } from './csp';

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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const COOKIE = 'ctd_token';
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]!) : null;
}

/**
 * Serve mode's loopback bridge: the built renderer over HTTP and the IPC contract over one
 * WebSocket per page. Binds 127.0.0.1 only. Every request needs the per-launch token (query on
 * the first page load, then an HttpOnly SameSite=Strict cookie); the Host header must be our
 * loopback address (DNS rebinding) and a WebSocket's Origin must be our own origin.
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
  const authorised = (req: IncomingMessage, url: URL) => {
    const t = url.searchParams.get(TOKEN_PARAM) ?? cookieToken(req);
    return !!t && sameSecret(t, token);
  };
  const deny = (res: ServerResponse, code: number, msg: string) => {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(msg);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req)) return deny(res, 421, 'Wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed');
    if (!authorised(req, url))
      return deny(
        res,
        403,
        'This CTD Workbench service needs the token printed at start (open the URL it printed).',
      );
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile())
      return deny(res, 404, 'Not found');
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = contentSecurityPolicy(
        `ws://127.0.0.1:${port} ws://localhost:${port}`,
      );
      headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reqOrigin = req.headers.origin ?? '';
    const okOrigin = reqOrigin === origin || reqOrigin === `http://localhost:${port}`;
    if (url.pathname !== WS_PATH || !hostOk(req) || !okOrigin || !authorised(req, url)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      send(ws, { t: 'hello', version: o.version ?? '0.0.0' });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: ClientMessage;
        try {
          msg = JSON.parse(String(data)) as ClientMessage;
        } catch {
          return;
        }
        if (msg?.t !== 'req' || typeof msg.id !== 'number' || typeof msg.ch !== 'string') return;
        void dispatch(o.handlers, msg.ch, msg.req).then((r) =>
          send(
            ws,
            r.ok
              ? { t: 'res', id: msg.id, ok: true, res: r.res }
              : { t: 'res', id: msg.id, ok: false, error: r.error },
          ),
        );
      });
    });
  });

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
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === ws.OPEN)
    ws.send(JSON.stringify(msg, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}
