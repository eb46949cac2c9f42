import { basename } from 'node:path';
import type { WctDocument } from '../../../shared/domain/hang';
import { parseWctBytes, readWctFile } from '../../formats/wct/parse-wct';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { analyzeHang } from './analyze-hang';
import { mainThreadNextToWct } from './main-thread';
import { hangBucket } from '../signature/sources';

/** Above a hang dump's generic output (10) and a crash dump's verdict (50): for hangs the wait chains are the story. */
export const WCT_PRIORITY = 60;

export function analyzeWctFile(path: string): AnalyzerOutput {
  return wctOutput(readWctFile(path), path);
}

function wctOutput(doc: WctDocument, path: string): AnalyzerOutput {
  const hang = analyzeHang(doc, { mainThreadId: doc.mainThreadId ?? mainThreadNextToWct(path) });
  const manual = doc.capture?.kind === 'manual' || /_manual_/i.test(basename(path));
  const cycleTids = hang.cycles.flatMap((c) => c.tids);
  // Threads along the main thread's wait chain, nearest first: the first is the lock's owner,
  // whose module a hang dump can name (analysis/cause/merge.ts).
  const main = hang.threads.find((t) => t.isMain);
  const mainWaitOwners = (main?.chain ?? []).flatMap((s) =>
    s.kind === 'thread' && !s.foreignProcess ? [s.tid] : [],
  );
  // The unified bucket (analysis/signature): HANG | main thread's wait path | deadlock shape.
  const bucket = hangBucket(
    hang.signature
      .replace(/^hang\|/, '')
      .split('|')
      .join(' | '),
  );
  return {
    kind: manual ? 'manual' : 'hang',
    priority: WCT_PRIORITY,
    verdict: {
      title: hang.verdict,
      exceptionCode: null,
      exceptionName: null,
      faultingModule: null,
      faultingOffset: null,
      signature: bucket.key,
      suspects: [],
      game: null,
      analyzer: 'wct',
    },
    searchText: [
      'hang wait chain',
      hang.cycles.length ? 'deadlock' : '',
      hang.verdict,
      hang.signature,
      ...new Set(
        hang.threads.flatMap((t) =>
          t.chain.map((s) => (s.kind === 'object' ? `${s.typeName} ${s.name}` : '')),
        ),
      ),
    ]
      .filter(Boolean)
      .join(' '),
    merge: { mainThreadId: hang.mainThreadId, mainWaitOwners },
    facts: {
      pid: hang.pid,
      mainThreadId: hang.mainThreadId,
      mainThreadSource: hang.mainThreadSource,
      threadCount: hang.threads.length,
      blockedCount: hang.blockedCount,
      longestWaitMs: hang.longestWaitMs,
      cycles: hang.cycles,
      cycleThreadIds: cycleTids,
      mainWaitOwners,
      captureFailed: hang.captureFailed,
      problems: hang.problems,
    },
  };
}

export const wctAnalyzer: ArtifactAnalyzer = {
  name: 'wct',
  roles: ['wct'],
  analyze: analyzeWctFile,
  analyzeBytes: (bytes, path) => wctOutput(parseWctBytes(bytes, path), path),
};
