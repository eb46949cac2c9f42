import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { channels, events } from '../shared/contract/index';
import { EVENT_CHANNEL_PREFIX, GRANT_CHANNEL, INVOKE_CHANNEL } from '../shared/contract/ipc-names';

/**
 * The renderer's only capability: call a contract channel or listen to a contract event.
 * Names are checked here too so a compromised renderer cannot reach arbitrary ipcMain handlers.
 */
const channelNames = new Set(Object.keys(channels));
const eventNames = new Set(Object.keys(events));

const api = {
  invoke(name: string, request: unknown): Promise<unknown> {
    if (!channelNames.has(name)) return Promise.reject(new Error(`Unknown channel "${name}"`));
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, request).then((r: unknown) => {
      const res = r as { ok: boolean; res?: unknown; error?: { code: string; message: string } };
      if (res.ok) return res.res;
      const err = new Error(res.error?.message ?? 'Request failed') as Error & { code?: string };
      err.code = res.error?.code ?? 'internal';
      throw err;
    });
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!eventNames.has(name)) throw new Error(`Unknown event "${name}"`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL_PREFIX + name, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL_PREFIX + name, wrapped);
    };
  },
  /**
   * The path of a file the user dropped or picked ('' for a File the page made up). Main is told
   * before the page sees it, so handlers accept exactly the paths the user gave through the OS.
   */
  pathForFile(file: File): string {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.sendSync(GRANT_CHANNEL, path);
    return path;
  },
};

contextBridge.exposeInMainWorld('ctd', api);
