import type { Handlers } from '../shared/contract/index';
import { dispatch, type DispatchResult } from './dispatch';

/** The origin the built renderer is served from in Electron (see index.ts). */
export const APP_ORIGIN = 'app://ctd';

/** True when `url` is a page of our renderer: the app scheme, or the dev server in development. */
export function isAppPage(url: string, devUrl?: string): boolean {
  if (devUrl) {
    try {
      return url.startsWith(new URL(devUrl).origin + '/');
    } catch {
      return false;
    }
  }
  return url.startsWith(APP_ORIGIN + '/');
}

export interface InvokeSender {
  /** URL of the frame that called; null when the frame is already gone. */
  frameUrl: string | null;
  /** Sub-frames (an iframe that somehow got in) may never call main. */
  isTopFrame: boolean;
}

/**
 * The Electron side of one contract call, kept free of Electron so it can be tested: refuse
 * callers that are not our top-level page, then validate and run through the shared dispatch.
 */
export async function routeInvoke(
  handlers: Handlers,
  sender: InvokeSender,
  name: unknown,
  request: unknown,
  devUrl?: string,
): Promise<DispatchResult> {
  if (!sender.frameUrl || !sender.isTopFrame || !isAppPage(sender.frameUrl, devUrl))
    return { ok: false, error: { code: 'forbidden', message: 'Caller is not the workbench window' } };
  if (typeof name !== 'string')
    return { ok: false, error: { code: 'bad_request', message: 'Channel name must be a string' } };
  return dispatch(handlers, name, request);
}
