import { z } from 'zod';
import { channel, event } from './define';
import { Timeline, TimelineProgress } from '../domain/timeline';

/** One incident's events from every artifact on one clock (shared/domain/timeline.ts). */
export const timelineChannels = {
  'timeline:get': channel(
    z.object({ id: z.string().min(1).max(200) }),
    Timeline,
    'The incident’s timeline: every timestamped event of its artifacts, local time and offset from the crash or freeze.',
  ),
} as const;

export const timelineEvents = {
  'timeline:progress': event(TimelineProgress, 'Reading a big artifact (log, trace) for a timeline.'),
} as const;
