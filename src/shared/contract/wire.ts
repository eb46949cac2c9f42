import type { WireError } from './index';

/**
 * The serve-mode bridge protocol (one WebSocket per renderer, JSON text frames).
 * URL: ws://127.0.0.1:<port>/ws?token=<per-launch token>; the server also checks Origin.
 * Electron IPC carries the same request/response objects through ipcRenderer.invoke.
 */
export type ClientMessage = { t: 'req'; id: number; ch: string; req: unknown };

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; res: unknown }
  | { t: 'res'; id: number; ok: false; error: WireError }
  | { t: 'evt'; name: string; payload: unknown }
  | { t: 'hello'; version: string };

/** Query parameter and sessionStorage key holding the serve-mode token in the browser. */
export const TOKEN_PARAM = 'token';
export const WS_PATH = '/ws';
