import type { z } from 'zod';
import type { Channel, EventDef } from './define';
import { incidentChannels, incidentEvents } from './incidents';
import { captureChannels, captureEvents } from './capture';
import { hangChannels } from './hang';
import { appChannels } from './app';
import { foldersChannels, foldersEvents } from './folders';
import { crashChannels } from './crash';
import { crashlogChannels } from './crashlog';
import { etwChannels } from './etw';
import { logsChannels } from './logs';
import { trendsChannels } from './trends';
import { bundleChannels, bundleEvents } from './bundle';
import { preferencesChannels, preferencesEvents } from './preferences';
import { setupChannels } from './setup';
import { causesChannels } from './causes';
import { timelineChannels, timelineEvents } from './timeline';

/**
 * The whole IPC contract: every channel the renderer may call and every event main may push.
 * Each feature owns one file here and adds its table below (one line per feature). A channel
 * prefix belongs to exactly one file (test/unit/app/feature-homes.test.ts checks it), and the
 * file's handlers live in src/main/features/<file name>/handlers.ts.
 */
export const channels = {
  ...incidentChannels,
  ...captureChannels,
  ...hangChannels,
  ...appChannels,
  ...foldersChannels,
  ...crashChannels,
  ...crashlogChannels,
  ...etwChannels,
  ...logsChannels,
  ...trendsChannels,
  ...bundleChannels,
  ...preferencesChannels,
  ...setupChannels,
  ...causesChannels,
  ...timelineChannels,
} as const;

export const events = {
  ...incidentEvents,
  ...foldersEvents,
  ...captureEvents,
  ...bundleEvents,
  ...preferencesEvents,
  ...timelineEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;

export type RequestOf<K extends ChannelName> = z.input<Channels[K]['request']>;
export type ParsedRequestOf<K extends ChannelName> = z.output<Channels[K]['request']>;
export type ResponseOf<K extends ChannelName> = z.output<Channels[K]['response']>;
export type EventPayloadOf<K extends EventName> = z.output<(typeof events)[K]['payload']>;

/** What the renderer's stores see: one async function per channel (throws ApiError), plus events. */
export type WorkbenchApi = {
  invoke<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayloadOf<K>) => void): () => void;
};

/**
 * What a transport carries: the preload's `window.ctd` (Electron) and the serve-mode socket
 * client both answer a call with a CallResult and never throw, because an Error thrown across
 * contextBridge arrives with its message only. The renderer's api/client.ts turns a failed
 * result into ApiError(code, message) in one place.
 */
export type WorkbenchBridge = {
  call<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<CallResult<ResponseOf<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayloadOf<K>) => void): () => void;
};

/** What main implements: a handler per channel, receiving the already-validated request. */
export type Handlers = {
  [K in ChannelName]: (request: ParsedRequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** Why the incident index cannot be used (StoreError in main); carried as `store_<code>`. */
export type StoreErrorCode = 'locked' | 'corrupt' | 'newer_schema' | 'io';

/** Every error code a call can fail with, whichever transport carried it. */
export type WireErrorCode =
  /** The request does not fit the channel's schema, or names no channel. */
  | 'bad_request'
  /** A file the request points at is not what it claims (a ParseError). */
  | 'bad_input'
  | 'not_found'
  | 'unsupported'
  /** The caller is not the workbench window (Electron IPC). */
  | 'forbidden'
  /** The user cancelled the operation (an export). */
  | 'cancelled'
  | 'internal'
  /** A serve-mode frame that is not a request at all. */
  | 'bad_message'
  /** Renderer side: the service cannot be reached, or the page lacks its serve-mode token. */
  | 'transport'
  | 'no_token'
  | `store_${StoreErrorCode}`;

/** Error shape carried across both transports. */
export interface WireError {
  code: WireErrorCode;
  message: string;
}

/** One call's answer on the wire: the response, or why there is none. */
export type CallResult<T = unknown> = { ok: true; res: T } | { ok: false; error: WireError };

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export type { Channel, EventDef };
