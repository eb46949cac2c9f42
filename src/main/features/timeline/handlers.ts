import type { Handlers } from '../../../shared/contract/index';
import type { IncidentDetail } from '../../../shared/domain/incident';
import type { Timeline } from '../../../shared/domain/timeline';
import { buildTimeline, type TimelineArtifact, type TimelineOptions } from '../../analysis/timeline/build';
import type { WorkbenchContext } from '../../context';
import { NotFoundError } from '../../dispatch-errors';
import { timeFromLogName } from '../../sources/crashlog-names';
import { classifySkyrimDiag, tsToLocalIso } from '../../sources/skyrimdiag-names';

/** The local wall-clock time a file's name carries: SkyrimDiag's `<ts>` or a crash log's date. */
export function nameTimeOf(name: string): string | null {
  const sd = classifySkyrimDiag(name);
  if (sd && 'ts' in sd) return tsToLocalIso(sd.ts);
  if (sd?.type === 'derived') {
    const dump = classifySkyrimDiag(`${sd.stem}.dmp`);
    if (dump && 'ts' in dump) return tsToLocalIso(dump.ts);
  }
  return timeFromLogName(name);
}

export function timelineArtifacts(d: IncidentDetail): TimelineArtifact[] {
  return d.artifacts.map((a) => ({
    id: a.id,
    role: a.role,
    path: a.path,
    name: a.name,
    size: a.size,
    nameTime: nameTimeOf(a.name),
  }));
}

/** Builds one incident's timeline (the CLI's `timeline` command and the Timeline tab). */
export function incidentTimeline(d: IncidentDetail, opts: TimelineOptions = {}): Promise<Timeline> {
  return buildTimeline(
    {
      incidentId: d.id,
      kind: d.kind,
      source: d.source,
      capturedAt: d.capturedAt,
      title: d.title,
      artifacts: timelineArtifacts(d),
    },
    opts,
  );
}

/** Timelines of the incidents looked at last: opening the tab again is instant. */
const CACHE = 4;
/** Progress events at most this often per artifact. */
const PROGRESS_MS = 200;

export function timelineHandlers(ctx: WorkbenchContext): Pick<Handlers, 'timeline:get'> {
  const cache = new Map<string, Promise<Timeline>>();
  return {
    'timeline:get': ({ id }) => {
      const d = ctx.store.get(id);
      if (!d) throw new NotFoundError(`No incident ${id}`);
      // Files are the truth: any artifact that changed on disk (size, mtime) builds a new one.
      const key = `${id}|${d.artifacts.map((a) => `${a.path}:${a.size}:${a.mtimeMs}`).join('|')}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      let last = 0;
      const p = incidentTimeline(d, {
        onProgress: (pr) => {
          const now = Date.now();
          if (!pr.done && now - last < PROGRESS_MS) return;
          last = now;
          ctx.emit('timeline:progress', { incidentId: id, ...pr });
        },
      });
      cache.set(key, p);
      p.catch(() => cache.delete(key));
      while (cache.size > CACHE) cache.delete(cache.keys().next().value as string);
      return p;
    },
  };
}
