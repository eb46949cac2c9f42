import { ZodError } from 'zod';
import {
  channels,
  isChannelName,
  type CallResult,
  type ChannelName,
  type Handlers,
  type WireError,
} from '../shared/contract/index';
import { BadFolderError } from './sources/folder-sources';
import { BUSY_MESSAGE } from './store/integrity';
import { StoreError, storeErrorCode } from './store/sqlite-store';
import { isParseError } from './formats/common/parse-error';
import { formatIssues } from '../shared/zod-issues';

/** The envelope both transports carry to the renderer as is (contract CallResult). */
export type DispatchResult = CallResult;

/** Codes a handler's own error may carry through unchanged (dispatch-errors.ts, ExportCancelled). */
const PASS_THROUGH = new Set<WireError['code']>(['not_found', 'unsupported', 'bad_request', 'cancelled']);

/**
 * The one request path both transports share: check the channel exists, validate the request
 * with its schema, run the handler, and turn any failure into a WireError the renderer can show.
 * With `checkResponse` (the unit tests) responses are validated too, so a handler cannot drift
 * from the contract unnoticed.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  request: unknown,
  checkResponse = false,
): Promise<DispatchResult> {
  if (!isChannelName(name))
    return { ok: false, error: { code: 'bad_request', message: `Unknown channel "${name}"` } };
  const ch = channels[name];
  const parsed = ch.request.safeParse(request ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad_request', message: `Invalid request for ${name}: ${formatIssues(parsed.error)}` },
    };
  }
  try {
    const handler = handlers[name] as (r: unknown) => unknown;
    const res = await handler(parsed.data);
    if (checkResponse) {
      const r = ch.response.safeParse(res);
      if (!r.success)
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `Handler for ${name} returned an invalid response: ${formatIssues(r.error)}`,
          },
        };
    }
    return { ok: true, res };
  } catch (e) {
    return { ok: false, error: toWireError(e) };
  }
}

export function toWireError(e: unknown): WireError {
  if (e instanceof BadFolderError) return { code: 'bad_request', message: e.message };
  const store = storeErrorCode(e);
  // A lock met in a query (a second writer past the busy timeout) says what to do, not "database is locked".
  if (store === 'locked' && !(e instanceof StoreError))
    return { code: 'store_locked', message: BUSY_MESSAGE };
  if (store) return { code: `store_${store}`, message: (e as Error).message };
  if (e instanceof ZodError) return { code: 'bad_request', message: formatIssues(e) };
  if (isParseError(e)) return { code: 'bad_input', message: e.message };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (PASS_THROUGH.has(code as WireError['code']))
      return { code: code as WireError['code'], message: e.message };
    if (code === 'ENOENT') return { code: 'not_found', message: e.message };
    return { code: 'internal', message: e.message };
  }
  return { code: 'internal', message: String(e) };
}

export function channelNames(): ChannelName[] {
  return Object.keys(channels) as ChannelName[];
}
