import { open } from 'node:fs/promises';
import type { Handlers } from '../../shared/contract/index';
import type { WorkbenchContext } from '../context';
import { decodeLog } from '../formats/crashlog/decode';
import { suggestFolders } from '../sources/suggest';
import { NotFoundError } from '../dispatch-errors';
import { requireAddableFolder, requireAllowedPath, userPathPolicy } from '../path-check';

type IncidentHandlers = Pick<
  Handlers,
  | 'app:info'
  | 'folders:list'
  | 'folders:add'
  | 'folders:remove'
  | 'folders:suggest'
  | 'incidents:scan'
  | 'incidents:list'
  | 'incidents:get'
  | 'incidents:setStatus'
  | 'artifacts:readText'
  | 'artifacts:reveal'
  | 'db:rebuild'
>;

/** The core channels: folders, incident list/detail, artifact text, index rebuild. */
export function incidentHandlers(ctx: WorkbenchContext, appVersion: string): IncidentHandlers {
  return {
    'app:info': () => ({
      version: appVersion,
      transport: ctx.transport === 'electron' ? 'electron' : 'serve',
      dataDir: ctx.dataDir,
      dbPath: ctx.store.path,
      platform: process.platform,
    }),
    'folders:list': () => ctx.sources.folders(),
    'folders:add': (req) => ctx.sources.addFolder(requireAddableFolder(ctx, req.path)),
    'folders:remove': (req) => ctx.sources.removeFolder(req.path),
    'folders:suggest': () => suggestFolders(),
    // Only folders the user added (or inside them): a page cannot have any folder read.
    'incidents:scan': (req) =>
      ctx.sources.scan(
        req.folders?.map((f) => requireAllowedPath(f, userPathPolicy(ctx), 'The folder to scan')),
      ),
    'incidents:list': (req) => ctx.store.list(req),
    'incidents:get': (req) => ctx.store.get(req.id),
    'incidents:setStatus': (req) => ({ ok: ctx.store.setStatus(req.id, req.status) }),
    'artifacts:readText': async (req) => {
      const a = ctx.store.getArtifact(req.artifactId);
      if (!a) throw new NotFoundError(`No artifact ${req.artifactId}`);
      const fh = await open(a.path, 'r');
      try {
        const size = (await fh.stat()).size;
        const len = Math.min(size, req.maxBytes);
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, 0);
        const bom16 = buf[0] === 0xff && buf[1] === 0xfe;
        const text = decodeLog(buf);
        return {
          text,
          truncated: size > len,
          encoding: bom16
            ? 'utf-16le'
            : text.length && /[\u0400-\u04ff]/.test(text) && buf.toString('utf8').includes('\uFFFD')
              ? 'windows-1251'
              : 'utf-8',
        };
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
      ctx.store.db.transaction(() => {
        ctx.store.db.exec(
          'DELETE FROM incident_fts; DELETE FROM incident_modules; DELETE FROM artifacts; DELETE FROM incidents;',
        );
      })();
      ctx.emit('incidents:changed', { ids: [], reason: 'rebuild' });
      return ctx.sources.scan();
    },
  };
}
