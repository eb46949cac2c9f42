import type {
  CallResult,
  ChannelName,
  EventName,
  EventPayloadOf,
  RequestOf,
  ResponseOf,
  WorkbenchApi,
  WorkbenchBridge,
  WireError,
  WireErrorCode,
} from '../../../shared/contract/index';
import type { ClientMessage, ServerMessage } from '../../../shared/contract/wire';
import { TOKEN_PARAM, WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/contract/wire';

/**
 * The renderer's only door to main. In Electron the preload exposes `window.ctd` (a
 * WorkbenchBridge over ipcRenderer.invoke); in serve mode we speak the WebSocket bridge. Both
 * answer a CallResult; invoke() below is the one place a failed call becomes an ApiError.
 */
declare global {
  interface Window {
    ctd?: WorkbenchBridge & { pathForFile?: (file: File) => string };
  }
}

/** A failed contract call: the WireError code main (or the transport) gave, and its message. */
export class ApiError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem('ctd-token', fromUrl);
    // Keep the token out of history and screenshots.
    url.searchParams.delete(TOKEN_PARAM);
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem('ctd-token') ?? '';
}

const failure = (code: WireErrorCode, message: string) => ({ ok: false as const, error: { code, message } });

function createSocketBridge(): WorkbenchBridge {
  const token = takeToken();
  // The token goes in the handshake's subprotocol list, never in a cookie or the socket URL.
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${WS_PATH}`;
  let nextId = 1;
  const pending = new Map<number, (r: CallResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      if (!/^[A-Za-z0-9_-]+$/.test(token)) {
        opened = null;
        reject(
          failure(
            'no_token',
            'This page needs the link serve mode printed at start (it carries a one-time token). Open that link again.',
          ),
        );
        return;
      }
      const ws = new WebSocket(wsUrl, [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + token]);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(failure('transport', 'Cannot reach the workbench service (serve mode).'));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const answer of pending.values())
          answer(failure('transport', 'Connection to the workbench service closed.'));
        pending.clear();
        // Reconnect so pushed events keep flowing after a service restart.
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (ev: MessageEvent<string>) => {
        let msg: ServerMessage;
        try {
          msg = JSON.parse(ev.data) as ServerMessage;
        } catch {
          return;
        }
        if (msg.t === 'res') {
          const answer = pending.get(msg.id);
          if (!answer) return;
          pending.delete(msg.id);
          answer(msg.ok ? { ok: true, res: msg.res } : { ok: false, error: msg.error });
        } else if (msg.t === 'evt') {
          for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
        } else if (msg.t === 'error') {
          // Our own requests are always well-formed; say so loudly if the service disagrees.
          console.error(`workbench service: ${msg.error.message}`);
        }
      };
    });
    return opened;
  };

  return {
    async call<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<CallResult<ResponseOf<K>>> {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (e) {
        return e as CallResult<ResponseOf<K>>;
      }
      const id = nextId++;
      const msg: ClientMessage = { t: 'req', id, ch: name, req: request };
      return new Promise<CallResult<ResponseOf<K>>>((resolve) => {
        pending.set(id, resolve as (r: CallResult) => void);
        ws.send(JSON.stringify(msg));
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayloadOf<K>) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      const l = listener as (payload: unknown) => void;
      set.add(l);
      listeners.set(name, set);
      void connect().catch(() => undefined);
      return () => set.delete(l);
    },
  };
}

let bridge: WorkbenchBridge | null = null;

function getBridge(): WorkbenchBridge {
  bridge ??= window.ctd ?? createSocketBridge();
  return bridge;
}

/** Calls a contract channel: the response, or an ApiError with main's code and message. */
export async function invoke<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const r = await getBridge().call(name, request);
  if (r.ok) return r.res;
  throw new ApiError(r.error.code, r.error.message);
}

const api: WorkbenchApi = {
  invoke,
  on: (name, listener) => getBridge().on(name, listener),
};

/** The typed contract client (Electron preload bridge or the serve-mode socket). */
export function getApi(): WorkbenchApi {
  return api;
}

/** The WireError code of a failed call (null for anything that is not an ApiError). */
export function errorCode(e: unknown): WireErrorCode | null {
  return e instanceof ApiError ? e.code : null;
}

/** Electron gives a dropped folder's path; a browser cannot, so callers fall back to typing one. */
export function pathForDroppedFile(file: File): string | null {
  return window.ctd?.pathForFile?.(file) ?? null;
}

export type { WireError };
