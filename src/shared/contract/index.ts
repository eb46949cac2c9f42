import type { z } from 'zod';
import type { Channel, EventDef } from './define';
import { incidentChannels, incidentEvents } from './incidents';
import { captureChannels, captureEvents } from './capture';
import { hangChannels } from './hang';
import { appChannels } from './app';
import { crashChannels } from './crash';
import { crashlogChannels } from './crashlog';
import { etwChannels } from './etw';
import { logsChannels } from './logs';
import { trendsChannels } from './trends';
import { bundleChannels, bundleEvents } from './bundle';
import { setupChannels } from './setup';

/**
 * The whole IPC contract: every channel the renderer may call and every event main may push.
 * Each feature owns one file here and adds its table below (one line per feature).
 */
export const channels = {
  ...incidentChannels,
  ...captureChannels,
  ...hangChannels,
  ...appChannels,
  ...crashChannels,
  ...crashlogChannels,
  ...etwChannels,
  ...logsChannels,
  ...trendsChannels,
  ...bundleChannels,
  ...setupChannels,
} as const;

export const events = {
  ...incidentEvents,
  ...captureEvents,
  ...bundleEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;

export type RequestOf<K extends ChannelName> = z.input<Channels[K]['request']>;
export type ParsedRequestOf<K extends ChannelName> = z.output<Channels[K]['request']>;
export type ResponseOf<K extends ChannelName> = z.output<Channels[K]['response']>;
export type EventPayloadOf<K extends EventName> = z.output<(typeof events)[K]['payload']>;

/** What the renderer sees: one async function per channel, plus event subscription. */
export type WorkbenchApi = {
  invoke<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayloadOf<K>) => void): () => void;
};

/** What main implements: a handler per channel, receiving the already-validated request. */
export type Handlers = {
  [K in ChannelName]: (request: ParsedRequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** Error shape carried across both transports. */
export interface WireError {
  code: 'bad_request' | 'not_found' | 'unsupported' | 'internal' | string;
  message: string;
}

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export type { Channel, EventDef };
