import type { ArtifactRef } from '../../../shared/contract/define';
import type { Handlers } from '../../../shared/contract/index';
import type { Artifact } from '../../../shared/domain/incident';
import type { WorkbenchContext } from '../../context';
import { BadRequestError, NotFoundError } from '../../dispatch-errors';
import { ParseError } from '../../formats/common/parse-error';
import { readWctFile } from '../../formats/wct/parse-wct';
import { resolveArtifact } from '../artifact-ref';
import { mainThreadNextToWct } from '../../analysis/hang/main-thread';
import { SessionCache, type EtlSession, type SessionOptions } from '../../analysis/etw/session';

/** The game process and main thread as the incident's WCT capture names them, so the ETW report follows the same ones. */
function hintsOf(ctx: WorkbenchContext, incidentId: string): SessionOptions {
  const wct = ctx.store.get(incidentId)?.artifacts.find((a) => a.role === 'wct');
  if (!wct) return {};
  try {
    const doc = readWctFile(wct.path);
    return { mainThreadId: doc.mainThreadId ?? mainThreadNextToWct(wct.path), focusPid: doc.pid ?? null };
  } catch {
    return {};
  }
}

/**
 * `etw:*`: traces are re-read from disk (files are the truth) through a small cache of open
 * sessions, so paging a 2 GB trace costs one summary pass, not one per page.
 */
export function etwHandlers(ctx: WorkbenchContext): Partial<Handlers> {
  const cache = new SessionCache(3);
  const traces = (incidentId: string): Artifact[] =>
    ctx.store.get(incidentId)?.artifacts.filter((a) => a.role === 'etl') ?? [];
  const resolve = (ref: ArtifactRef): { artifact: Artifact; incidentId: string } | null => {
    const a = resolveArtifact(ctx.store, ref, 'etl', 'an ETW trace');
    return a ? { artifact: a, incidentId: a.incidentId } : null;
  };
  const session = async (ref: ArtifactRef): Promise<EtlSession> => {
    const r = resolve(ref);
    if (!r) throw new NotFoundError('no ETW trace in this incident');
    try {
      return await cache.getAny(r.artifact.path, () => hintsOf(ctx, r.incidentId));
    } catch (e) {
      if (e instanceof ParseError) throw new BadRequestError(e.message);
      throw e;
    }
  };
  return {
    'etw:summary': async (req) => {
      const r = resolve(req);
      const list = r
        ? traces(r.incidentId).map((a) => ({ artifactId: a.id, name: a.name, size: a.size }))
        : [];
      if (!r) return { artifactId: null, traces: list, summary: null, error: null };
      try {
        const s = await cache.get(r.artifact.path, hintsOf(ctx, r.incidentId));
        return { artifactId: r.artifact.id, traces: list, summary: s.summary, error: null };
      } catch (e) {
        if (e instanceof ParseError || (e instanceof Error && 'code' in e))
          return { artifactId: r.artifact.id, traces: list, summary: null, error: e.message };
        throw e;
      }
    },
    'etw:events': async (req) => {
      const s = await session(req);
      const typeIds = s.typeIdsFor(req.provider ?? null, req.event ?? null);
      const page = s.page({ typeIds, pid: req.pid ?? null }, req.offset, req.limit);
      return { total: page.total, offset: req.offset, rows: page.rows };
    },
    'etw:event': async (req) => {
      const d = (await session(req)).event(req.position);
      if (!d) throw new NotFoundError(`no event at position ${req.position}`);
      return d;
    },
  };
}
