/** Electron IPC channel names shared by main (ipc.ts) and the preload. */
export const INVOKE_CHANNEL = 'ctd:invoke';
/** Events travel as `ctd:evt:<event name>` so the preload can subscribe per event. */
export const EVENT_CHANNEL_PREFIX = 'ctd:evt:';
/** The preload reports the path of a dropped or picked file (sendSync; see path-check.ts). */
export const GRANT_CHANNEL = 'ctd:grant-path';
