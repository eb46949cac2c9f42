import type {
  ChannelName,
  EventName,
  EventPayloadOf,
  RequestOf,
  ResponseOf,
  WorkbenchApi,
  WireError,
} from '../../../shared/contract/index';
import type { ClientMessage, ServerMessage } from '../../../shared/contract/wire';
import { TOKEN_PARAM, WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/contract/wire';

/**
 * The renderer's only door to main. In Electron the preload exposes `window.ctd` (same
 * WorkbenchApi shape, over ipcRenderer.invoke); in serve mode we speak the WebSocket bridge.
 */
declare global {
  interface Window {
    ctd?: WorkbenchApi & { pathForFile?: (file: File) => string };
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
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

function createSocketApi(): WorkbenchApi {
  const token = takeToken();
  // The token goes in the handshake's subprotocol list, never in a cookie or the socket URL.
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${WS_PATH}`;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      if (!/^[A-Za-z0-9_-]+$/.test(token)) {
        opened = null;
        reject(
          new ApiError(
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
      ws.onerror = () =>
        reject(new ApiError('transport', 'Cannot reach the workbench service (serve mode).'));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const p of pending.values())
          p.reject(new ApiError('transport', 'Connection to the workbench service closed.'));
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
          const p = pending.get(msg.id);
          if (!p) return;
          pending.delete(msg.id);
          if (msg.ok) p.resolve(msg.res);
          else p.reject(new ApiError(msg.error.code, msg.error.message));
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
    async invoke<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      const msg: ClientMessage = { t: 'req', id, ch: name, req: request };
      return new Promise<ResponseOf<K>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
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

let api: WorkbenchApi | null = null;

/** The typed contract client (Electron preload bridge or the serve-mode socket). */
export function getApi(): WorkbenchApi {
  api ??= window.ctd ?? createSocketApi();
  return api;
}

export function invoke<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  return getApi().invoke(name, request);
}

/** Electron gives a dropped folder's path; a browser cannot, so callers fall back to typing one. */
export function pathForDroppedFile(file: File): string | null {
  return window.ctd?.pathForFile?.(file) ?? null;
}

export type { WireError };
