import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
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
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
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

  it('binds loopback only and serves the page with the token, with a CSP', async () => {
    expect(srv.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await get(srv.port, `/?token=${srv.token}`, { host: `127.0.0.1:${srv.port}` });
    expect(ok.status).toBe(200);
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(String(ok.headers['set-cookie'])).toContain('HttpOnly');
  });

  it('refuses requests without the token, with a wrong token, or for another Host', async () => {
    expect((await get(srv.port, '/')).status).toBe(403);
    expect((await get(srv.port, '/?token=nope')).status).toBe(403);
    expect((await get(srv.port, `/?token=${srv.token}`, { host: `evil.example:${srv.port}` })).status).toBe(
      421,
    );
    expect((await get(srv.port, `/../../etc/passwd?token=${srv.token}`)).status).toBe(404);
  });

  it('refuses a WebSocket from another Origin or without the token', async () => {
    const ws = `ws://127.0.0.1:${srv.port}/ws`;
    await expect(connect(`${ws}?token=${srv.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(connect(`${ws}?token=wrong`, srv.origin)).rejects.toThrow(/403/);
    await expect(connect(ws, srv.origin)).rejects.toThrow(/403/);
  });

  it('runs contract calls, validates requests, and reports unknown channels', async () => {
    const ws = await connect(`ws://127.0.0.1:${srv.port}/ws?token=${srv.token}`, srv.origin);
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
});
