import { stat } from 'node:fs/promises';
import type { Handlers } from '../../../shared/contract/index';
import type { LogPatternSort } from '../../../shared/contract/logs';
import type { ArtifactRole } from '../../../shared/domain/incident';
import { LogPatternSummary, type LogPattern } from '../../../shared/domain/logs';
import type { WorkbenchContext } from '../../context';
import { BadRequestError, NotFoundError } from '../../dispatch-errors';
import { FileSource } from '../../formats/common/byte-source';
import { ENCODINGS } from '../../formats/common/text-encoding';
import { readRawWindow } from '../../formats/textlog/raw-window';
import { sourceEncoding } from '../../formats/textlog/read-lines';
import { dedupeFile } from '../../analysis/logs/dedupe';
import { LOG_ANALYZER } from '../../analysis/logs/log-analyzer';
import { worstFirst } from '../../analysis/logs/severity';

/** Text artifacts the Logs channels read (crash logs and reports are text logs too). */
const TEXT_ROLES: readonly ArtifactRole[] = ['papyrus', 'log', 'crashlog', 'threaddump', 'report'];
/** Parsed summaries kept in memory: a page or window request must not re-parse megabytes of JSON. */
const CACHE_ENTRIES = 6;

interface Resolved {
  id: number;
  name: string;
  path: string;
  summary: LogPatternSummary;
  source: 'index' | 'fresh';
}

function compare(sort: LogPatternSort): (a: LogPattern, b: LogPattern) => number {
  switch (sort) {
    case 'count':
      return (a, b) => b.count - a.count || a.id - b.id;
    case 'first':
      return (a, b) => a.firstLine - b.firstLine;
    case 'last':
      return (a, b) => b.lastLine - a.lastLine;
    default:
      return worstFirst;
  }
}

/**
 * `logs:*`: the pattern summary comes from the index (the log-patterns analyzer's facts) when
 * the file is unchanged since it was indexed; otherwise, or for logs indexed before that
 * analyzer existed, it is computed now (one streamed pass) and cached. Raw windows are read
 * from the file each time (files are the truth).
 */
export function logsHandlers(ctx: WorkbenchContext): Partial<Handlers> {
  const cache = new Map<string, Resolved>();

  const resolve = async (artifactId: number): Promise<Resolved> => {
    const a = ctx.store.getArtifact(artifactId);
    if (!a) throw new NotFoundError(`artifact ${artifactId} not found`);
    if (!TEXT_ROLES.includes(a.role)) throw new BadRequestError(`artifact ${artifactId} is not a text log`);
    let st;
    try {
      st = await stat(a.path);
    } catch {
      throw new NotFoundError(`${a.name} is no longer on disk (rescan the folder)`);
    }
    const key = `${a.id}|${st.size}|${st.mtimeMs}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    let summary: LogPatternSummary | null = null;
    let source: Resolved['source'] = 'fresh';
    if (st.size === a.size && Math.trunc(st.mtimeMs) === Math.trunc(a.mtimeMs)) {
      const stored = ctx.store.getFacts(a.id);
      if (stored?.analyzer === LOG_ANALYZER) {
        const parsed = LogPatternSummary.safeParse(stored.facts);
        if (parsed.success) {
          summary = parsed.data;
          source = 'index';
        }
      }
    }
    summary ??= await dedupeFile(a.path);
    const r: Resolved = { id: a.id, name: a.name, path: a.path, summary, source };
    cache.set(key, r);
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return r;
  };

  return {
    'logs:patterns': async (req) => {
      const r = await resolve(req.artifactId);
      const { patterns, keptLines, lineIndex: _index, ...head } = r.summary;
      const sev = req.severity && req.severity.length > 0 ? new Set(req.severity) : null;
      const needle = req.text?.trim().toLowerCase() || null;
      let items = patterns.filter(
        (p) =>
          (!sev || sev.has(p.severity)) &&
          (!needle || p.signature.toLowerCase().includes(needle) || p.example.toLowerCase().includes(needle)),
      );
      if (req.sort !== 'severity') items = [...items].sort(compare(req.sort));
      return {
        artifactId: r.id,
        name: r.name,
        summary: head,
        total: items.length,
        items: items.slice(req.offset, req.offset + req.limit),
        keptLines: req.offset === 0 ? keptLines : null,
        source: r.source,
      };
    },
    'logs:raw': async (req) => {
      const r = await resolve(req.artifactId);
      const src = new FileSource(r.path);
      try {
        const known = ENCODINGS.find((e) => e === r.summary.encoding);
        const enc = sourceEncoding(src, known);
        const w = await readRawWindow(src, enc, r.summary.lineIndex, req.fromLine, req.lineCount);
        return { ...w, totalLines: r.summary.lines, encoding: enc.encoding };
      } finally {
        src.close();
      }
    },
  };
}
