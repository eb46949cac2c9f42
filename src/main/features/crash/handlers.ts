import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import type { ArtifactRef } from '../../../shared/contract/define';
import { NotFoundError } from '../../dispatch-errors';
import { resolveArtifact } from '../artifact-ref';
import { ParseError } from '../../formats/common/parse-error';
import {
  analyzeDumpFile,
  memoryWindow,
  streamBytes,
  threadStack,
} from '../../analysis/minidump/analyze-dump';

/** `crash:*`: dumps are re-read from disk on each request (files are the truth; reads are windowed). */
export function crashHandlers(ctx: WorkbenchContext): Partial<Handlers> {
  const resolve = (ref: ArtifactRef) => resolveArtifact(ctx.store, ref, 'dump', 'a dump');
  // Breakpad symbol trees the user pointed us at (settings key `symbolDirs`).
  const symbols = (): string[] => ctx.store.getSetting<string[]>('symbolDirs', []);
  return {
    'crash:analyze': (req) => {
      const dump = resolve(req);
      if (!dump) return { artifactId: null, analysis: null, error: null };
      try {
        return {
          artifactId: dump.id,
          analysis: analyzeDumpFile(dump.path, { symbols: symbols() }),
          error: null,
        };
      } catch (e) {
        if (e instanceof ParseError || (e instanceof Error && 'code' in e))
          return { artifactId: dump.id, analysis: null, error: e.message };
        throw e;
      }
    },
    'crash:stack': (req) => {
      const dump = resolve(req);
      if (!dump) throw new NotFoundError('no dump in this incident');
      return { frames: threadStack(dump.path, req.threadIndex, { symbols: symbols() }) };
    },
    'crash:memory': (req) => {
      const dump = resolve(req);
      if (!dump) throw new NotFoundError('no dump in this incident');
      return memoryWindow(dump.path, BigInt(req.address), req.length);
    },
    'crash:stream': (req) => {
      const dump = resolve(req);
      if (!dump) throw new NotFoundError('no dump in this incident');
      const r = streamBytes(dump.path, req.index, req.offset, req.length);
      if (!r) throw new NotFoundError(`stream ${req.index} not found`);
      return r;
    },
  };
}
