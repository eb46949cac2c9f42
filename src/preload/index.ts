import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { channels, events, type CallResult } from '../shared/contract/index';
import { EVENT_CHANNEL_PREFIX, GRANT_CHANNEL, INVOKE_CHANNEL } from '../shared/contract/ipc-names';

/**
 * The renderer's only capability: call a contract channel or listen to a contract event.
 * Names are checked here too so a compromised renderer cannot reach arbitrary ipcMain handlers.
 * A call answers main's CallResult envelope as is and never rejects: an Error thrown across
 * contextBridge reaches the page with its message only, and the code is what the UI acts on.
 */
const channelNames = new Set(Object.keys(channels));
const eventNames = new Set(Object.keys(events));

const failed = (code: 'bad_request' | 'transport', message: string): CallResult => ({
  ok: false,
  error: { code, message },
});

const api = {
  call(name: string, request: unknown): Promise<CallResult> {
    if (!channelNames.has(name)) return Promise.resolve(failed('bad_request', `Unknown channel "${name}"`));
    return (ipcRenderer.invoke(INVOKE_CHANNEL, name, request) as Promise<CallResult>).catch((e: unknown) =>
      failed('transport', e instanceof Error ? e.message : String(e)),
    );
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
