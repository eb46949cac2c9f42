import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridgeServer, type BridgeServer } from '../../../src/main/server/bridge-server';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every message a test socket received, in order (the hello can arrive before a test listens). */
const inbox = new WeakMap<WebSocket, Record<string, unknown>[]>();
const wake = new WeakMap<WebSocket, () => void>();

function connect(url: string, origin: string, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { origin });
    inbox.set(ws, []);
    ws.on('message', (d) => {
      const box = inbox.get(ws)!;
      box.push(JSON.parse(String(d)) as Record<string, unknown>);
      wake.get(ws)?.();
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, ch: string, req: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (m.t === 'res' && m.id === id) {
        ws.off('message', onMsg);
        resolve(m);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ t: 'req', id, ch, req }));
  });
}

describe('serve-mode bridge', () => {
  let tmp: string;
  let wb: Workbench;
  let srv: BridgeServer;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-bridge-'));
    mkdirSync(join(tmp, 'renderer'));
    writeFileSync(join(tmp, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
    srv = await startBridgeServer({ handlers: wb.handlers, rendererDir: join(tmp, 'renderer') });
  });
  afterAll(async () => {
    await srv.close();
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** A request over a raw TCP socket, byte for byte (http.request would refuse some of these). */
  function rawHttp(lines: string[]): Promise<string> {
    return new Promise((resolve) => {
      const sock = connectTcp(srv.port, '127.0.0.1', () => sock.end(lines.join('\r\n') + '\r\n\r\n'));
      let out = '';
      sock.on('data', (b) => (out += b.toString()));
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
    });
  }
  const stillAnswers = async () =>
    expect((await get(srv.port, '/index.html', { host: `127.0.0.1:${srv.port}` })).status).toBe(200);
  const wsUrl = () => `ws://127.0.0.1:${srv.port}/ws`;
  const open = () => connect(wsUrl(), srv.origin, ['ctd.v1', `ctd.token.${srv.token}`]);
  function closed(ws: WebSocket): Promise<number> {
    return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }
  async function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
    const box = inbox.get(ws)!;
    while (box.length === 0) await new Promise<void>((r) => wake.set(ws, r));
    return box.shift()!;
  }

  it('binds loopback only and serves the page without any secret, with a CSP and no cookie', async () => {
    expect(srv.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await get(srv.port, '/', { host: `127.0.0.1:${srv.port}` });
    expect(ok.status).toBe(200);
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'self'");
    // Browsers send 127.0.0.1 cookies to every local port: the token must never be one.
    expect(ok.headers['set-cookie']).toBeUndefined();
    const withToken = await get(srv.port, `/?token=${srv.token}`, { host: `127.0.0.1:${srv.port}` });
    expect(withToken.headers['set-cookie']).toBeUndefined();
  });

  it('refuses another Host and paths outside the renderer', async () => {
    expect((await get(srv.port, '/', { host: `evil.example:${srv.port}` })).status).toBe(421);
    expect((await get(srv.port, '/../../etc/passwd')).status).toBe(404);
    expect((await get(srv.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get(srv.port, '/', { host: `127.0.0.1:${srv.port}` }, 'POST')).status).toBe(405);
  });

  it('answers hostile HTTP requests with 400 and keeps serving', async () => {
    // A bad cookie (the old token cookie, undecodable) without a token.
    const cookie = await get(srv.port, '/', { cookie: 'ctd_token=%E0%A4%A' });
    expect(cookie.status).toBe(200);
    expect((await get(srv.port, '/%E0%A4%A')).status).toBe(400);
    expect((await get(srv.port, '/%')).status).toBe(400);
    expect((await get(srv.port, '/a%00b')).status).toBe(400);
    const garbage = await rawHttp(['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Bad Header Line']);
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    await stillAnswers();
  });

  it('refuses a WebSocket from another Origin, without the token, or with a token cookie only', async () => {
    const ws = wsUrl();
    await expect(connect(`${ws}?token=${srv.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(connect(ws, srv.origin, ['ctd.v1', 'ctd.token.wrong'])).rejects.toThrow(/403/);
    await expect(connect(`${ws}?token=wrong`, srv.origin)).rejects.toThrow(/403/);
    await expect(connect(ws, srv.origin)).rejects.toThrow(/403/);
    const handshake = (target: string, extra: string[] = []) =>
      rawHttp([
        `GET ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${srv.port}`,
        `Origin: ${srv.origin}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...extra,
      ]);
    expect(await handshake('/ws', ['Cookie: ctd_token=%E0%A4%A'])).toMatch(/^HTTP\/1\.1 403/);
    expect(await handshake('/ws%E0%A4%A?token=%E0%A4%A')).toMatch(/^HTTP\/1\.1 403/);
    await stillAnswers();
  });

  it('accepts the token as a subprotocol and answers with ctd.v1 only', async () => {
    const ws = await open();
    expect(ws.protocol).toBe('ctd.v1');
    ws.close();
  });

  it('runs contract calls, validates requests, and reports unknown channels', async () => {
    const ws = await open();
    const info = await call(ws, 1, 'app:info', {});
    expect(info.ok).toBe(true);
    const bad = await call(ws, 2, 'incidents:list', { limit: -5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknown = await call(ws, 3, 'nope:nothing', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const missing = await call(ws, 4, 'folders:add', { path: join(tmp, 'does-not-exist') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(String((missing.error as { message: string }).message)).toContain('does not exist');
    ws.close();
  });

  it('answers malformed messages with an error instead of silence', async () => {
    const ws = await open();
    expect(await nextMessage(ws)).toMatchObject({ t: 'hello' });
    ws.send('{not json');
    expect(await nextMessage(ws)).toMatchObject({ t: 'error', error: { code: 'bad_message' } });
    ws.send(JSON.stringify({ t: 'req', id: 7 }));
    expect(await nextMessage(ws)).toMatchObject({
      t: 'res',
      id: 7,
      ok: false,
      error: { code: 'bad_request' },
    });
    ws.send(JSON.stringify([1, 2, 3]));
    expect(await nextMessage(ws)).toMatchObject({ t: 'error' });
    ws.send('null');
    expect(await nextMessage(ws)).toMatchObject({ t: 'error' });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await nextMessage(ws)).toMatchObject({ t: 'error' });
    // The connection is still usable afterwards.
    expect(await call(ws, 8, 'app:info', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('closes cleanly on invalid UTF-8 and on an oversized message, and keeps serving', async () => {
    const utf8 = await open();
    const utf8Closed = closed(utf8);
    utf8.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    expect(await utf8Closed).toBe(1007);

    const big = await open();
    const bigClosed = closed(big);
    big.send('x'.repeat(16 * 1024 * 1024 + 1));
    expect(await bigClosed).toBe(1009);

    await stillAnswers();
    const again = await open();
    expect(await call(again, 9, 'app:info', {})).toMatchObject({ ok: true });
    again.close();
  });
});
