import { open } from 'node:fs/promises';
import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import { decodeText } from '../../formats/common/text-encoding';
import { NotFoundError } from '../../dispatch-errors';
import { requireAllowedPath } from '../../sources/path-check';
import { userPathPolicy } from '../path-policy';

type IncidentHandlers = Pick<
  Handlers,
  | 'incidents:scan'
  | 'incidents:list'
  | 'incidents:get'
  | 'incidents:setStatus'
  | 'incidents:setNotes'
  | 'artifacts:readText'
  | 'artifacts:reveal'
  | 'db:rebuild'
>;

/** The index: scan, incident list/detail and triage, artifact text, index rebuild. */
export function incidentHandlers(ctx: WorkbenchContext): IncidentHandlers {
  return {
    // Only folders the user added (or inside them): a page cannot have any folder read.
    'incidents:scan': (req) =>
      ctx.sources.scan(
        req.folders?.map((f) => requireAllowedPath(f, userPathPolicy(ctx), 'The folder to scan')),
      ),
    'incidents:list': (req) => ctx.store.list(req),
    'incidents:get': (req) => ctx.store.get(req.id),
    'incidents:setStatus': (req) => ({ ok: ctx.store.setStatus(req.id, req.status) }),
    'incidents:setNotes': ({ id, notes }) => {
      const current = ctx.store.get(id);
      if (!current) return { ok: false };
      return { ok: ctx.store.setStatus(id, current.status, notes) };
    },
    'artifacts:readText': async (req) => {
      const a = ctx.store.getArtifact(req.artifactId);
      if (!a) throw new NotFoundError(`No artifact ${req.artifactId}`);
      const fh = await open(a.path, 'r');
      try {
        const size = (await fh.stat()).size;
        const len = Math.min(size, req.maxBytes);
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, 0);
        const { text, encoding } = decodeText(buf);
        return { text, truncated: size > len, encoding };
      } finally {
        await fh.close();
      }
    },
    'artifacts:reveal': (req) => {
      const a = ctx.store.getArtifact(req.artifactId);
      if (!a) throw new NotFoundError(`No artifact ${req.artifactId}`);
      // A browser cannot open the OS file manager; the Electron transport overrides this.
      return { path: a.path, revealed: false };
    },
    'db:rebuild': async () => {
      ctx.store.clear();
      ctx.emit('incidents:changed', { ids: [], reason: 'rebuild' });
      return ctx.sources.scan();
    },
  };
}
