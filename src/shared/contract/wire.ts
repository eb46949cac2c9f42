import type { WireError } from './index';

/**
 * The serve-mode bridge protocol (one WebSocket per renderer, JSON text frames).
 * URL: ws://127.0.0.1:<port>/ws; the page offers the subprotocols `ctd.v1` and
 * `ctd.token.<per-launch token>` (non-browser clients may use `?token=` instead). The server
 * checks Host and Origin too. The token never travels in a cookie.
 * Electron IPC carries the same request/response objects through ipcRenderer.invoke.
 */
export type ClientMessage = { t: 'req'; id: number; ch: string; req: unknown };

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; res: unknown }
  | { t: 'res'; id: number; ok: false; error: WireError }
  | { t: 'evt'; name: string; payload: unknown }
  | { t: 'hello'; version: string }
  /** A message that could not be read as a request (no id to answer). */
  | { t: 'error'; error: WireError };

/** Query parameter and sessionStorage key holding the serve-mode token in the browser. */
export const TOKEN_PARAM = 'token';
export const WS_PATH = '/ws';
export const WS_PROTOCOL = 'ctd.v1';
export const WS_TOKEN_PROTOCOL_PREFIX = 'ctd.token.';
