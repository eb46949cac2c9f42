import { z } from 'zod';

/**
 * A request/response channel. The same object is used by the preload (to build the typed
 * bridge), by main (to validate input before a handler runs) and by the serve-mode bridge.
 */
export interface Channel<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** One line for docs and error messages. */
  readonly doc: string;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  doc: string,
): Channel<Req, Res> {
  return { request, response, doc };
}

/** A main → renderer push message (progress, "incidents changed"). */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly doc: string;
}

export function event<P extends z.ZodType>(payload: P, doc: string): EventDef<P> {
  return { payload, doc };
}

/**
 * An artifact named by its id, or by an incident (its first artifact of the role the channel
 * reads); never by a path from the page. Channels extend it with their own fields.
 */
export const ArtifactRef = z.object({
  artifactId: z.number().int().optional(),
  incidentId: z.string().optional(),
});
export type ArtifactRef = z.infer<typeof ArtifactRef>;
