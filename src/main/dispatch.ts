import { ZodError } from 'zod';
import {
  channels,
  isChannelName,
  type ChannelName,
  type Handlers,
  type WireError,
} from '../shared/contract/index';
import { BadFolderError } from './sources/folder-sources';
import { BUSY_MESSAGE, isBusyError } from './store/integrity';
import { StoreError } from './store/sqlite-store';
import { isParseError } from './formats/common/parse-error';

export type DispatchResult = { ok: true; res: unknown } | { ok: false; error: WireError };

/**
 * The one request path both transports share: check the channel exists, validate the request
 * with its schema, run the handler, and turn any failure into a WireError the renderer can show.
 * Responses are validated too in development builds of tests, so a handler cannot drift from
 * the contract unnoticed.
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
      error: { code: 'bad_request', message: `Invalid request for ${name}: ${formatZod(parsed.error)}` },
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
            message: `Handler for ${name} returned an invalid response: ${formatZod(r.error)}`,
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
  if (e instanceof StoreError) return { code: `store_${e.code}`, message: e.message };
  if (isBusyError(e)) return { code: 'store_locked', message: BUSY_MESSAGE };
  if (e instanceof ZodError) return { code: 'bad_request', message: formatZod(e) };
  if (isParseError(e)) return { code: 'bad_input', message: e.message };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (code === 'not_found' || code === 'unsupported' || code === 'bad_request')
      return { code, message: e.message };
    if (code === 'ENOENT') return { code: 'not_found', message: e.message };
    return { code: 'internal', message: e.message };
  }
  return { code: 'internal', message: String(e) };
}

function formatZod(e: ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function channelNames(): ChannelName[] {
  return Object.keys(channels) as ChannelName[];
}
