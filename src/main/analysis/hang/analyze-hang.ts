import type {
  ChainStep,
  DeadlockCycle,
  HangAnalysis,
  HangThread,
  WctDocument,
} from '../../../shared/domain/hang';
import { WCT_THREAD_TYPE } from '../../../shared/domain/wct-codes';
import { describeCycle, describeWaitPath, hangSignature } from './hang-verdict';
import { buildWaitGraph, chainNodes, findCycles, ownNode, statusName, typeName } from './wait-graph';
import type { WaitGraph } from './wait-graph';

export interface HangOptions {
  /** Main thread id from the black box (SessionStart/Heartbeat tid) or the manifest, when known. */
  mainThreadId?: number | null;
}

function pickMain(
  doc: WctDocument,
  graph: WaitGraph,
  given: number | null | undefined,
): Pick<HangAnalysis, 'mainThreadId' | 'mainThreadSource'> {
  if (given !== null && given !== undefined) return { mainThreadId: given, mainThreadSource: 'given' };
  if (doc.mainThreadId !== null) return { mainThreadId: doc.mainThreadId, mainThreadSource: 'capture' };
  const fromPass = doc.passes.find((p) => p.usable && p.longestWaitTid !== null)?.longestWaitTid ?? null;
  if (fromPass !== null && graph.listed.has(fromPass))
    return { mainThreadId: fromPass, mainThreadSource: 'longest-wait' };
  let best: number | null = null;
  let bestMs = 0;
  for (const [tid, node] of graph.self) {
    const ms = node.thread?.waitTime ?? 0;
    if (ms > bestMs) {
      best = tid;
      bestMs = ms;
    }
  }
  if (best !== null) return { mainThreadId: best, mainThreadSource: 'longest-wait' };
  const first = doc.threads[0];
  return first
    ? { mainThreadId: first.tid, mainThreadSource: 'first-thread' }
    : { mainThreadId: null, mainThreadSource: 'none' };
}

function toSteps(doc: WctDocument, graph: WaitGraph, nodes: ReturnType<typeof chainNodes>): ChainStep[] {
  return nodes.map((n): ChainStep => {
    if (n.objectType === WCT_THREAD_TYPE && n.thread) {
      const pid = n.thread.processId || null;
      return {
        kind: 'thread',
        tid: n.thread.threadId,
        pid,
        waitMs: n.thread.waitTime,
        status: n.objectStatus,
        statusName: statusName(n.objectStatus),
        known: graph.listed.has(n.thread.threadId),
        foreignProcess: pid !== null && doc.pid !== null && pid !== doc.pid,
      };
    }
    return {
      kind: 'object',
      objectType: n.objectType,
      typeName: typeName(n.objectType),
      status: n.objectStatus,
      statusName: statusName(n.objectStatus),
      name: n.objectName ?? '',
    };
  });
}

/** Wait graph, deadlock cycles, main thread, verdict sentence and bucket signature of one WCT capture. */
export function analyzeHang(doc: WctDocument, opts: HangOptions = {}): HangAnalysis {
  const graph = buildWaitGraph(doc);
  const problems = [...doc.problems];
  const { mainThreadId, mainThreadSource } = pickMain(doc, graph, opts.mainThreadId);

  const cycles: DeadlockCycle[] = findCycles(graph).map((tids) => ({
    tids,
    objects: tids.map((t) => typeName(graph.edges.get(t)?.object.objectType ?? 10)),
    incomplete: false,
  }));
  const inCycle = new Set(cycles.flatMap((c) => c.tids));
  // WCT's own cycle flag can point at threads whose links we never saw (owner not captured).
  const flagged = doc.threads.filter((t) => t.isCycle && !inCycle.has(t.tid)).map((t) => t.tid);
  if (flagged.length) {
    cycles.push({
      tids: flagged,
      objects: flagged.map((t) => typeName(graph.edges.get(t)?.object.objectType ?? 10)),
      incomplete: true,
    });
    for (const t of flagged) inCycle.add(t);
    problems.push(
      `WCT flagged a cycle on thread(s) ${flagged.join(', ')} that the captured chains do not close`,
    );
  }

  const threads: HangThread[] = doc.threads.map((t) => {
    const own = ownNode(t);
    const chain = toSteps(doc, graph, chainNodes(t));
    return {
      tid: t.tid,
      isMain: t.tid === mainThreadId,
      inCycle: inCycle.has(t.tid),
      blocked: (own?.objectStatus ?? 0) === 3 || chain.some((s) => s.kind === 'object'),
      waitMs: own?.thread?.waitTime ?? null,
      contextSwitches: own?.thread?.contextSwitches ?? null,
      chain,
      error: t.error ?? null,
    };
  });
  const cycleRank = new Map<number, number>();
  cycles.forEach((c, ci) => c.tids.forEach((t, i) => cycleRank.set(t, ci * 1e6 + i)));
  const rank = (t: HangThread): number => (t.isMain ? 0 : t.inCycle ? 1 : t.blocked ? 2 : 3);
  threads.sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r) return r;
    if (a.inCycle && b.inCycle) return (cycleRank.get(a.tid) ?? 0) - (cycleRank.get(b.tid) ?? 0);
    return (b.waitMs ?? -1) - (a.waitMs ?? -1);
  });

  const blockedCount = threads.filter((t) => t.blocked).length;
  let longestWaitMs: number | null = null;
  for (const t of threads)
    if (t.waitMs !== null && (longestWaitMs === null || t.waitMs > longestWaitMs)) longestWaitMs = t.waitMs;

  let verdict: string;
  if (doc.captureFailed)
    verdict = `Wait chain capture failed${doc.error && doc.error !== 'capture_failed' ? ` (${doc.error})` : ''}: no thread information`;
  else if (threads.length === 0) verdict = 'No wait chains were recorded';
  else {
    const main = mainThreadId !== null ? describeWaitPath(graph, mainThreadId, mainThreadId, doc.pid) : '';
    const parts = [main];
    const mainCycle = cycles.some((c) => mainThreadId !== null && c.tids.includes(mainThreadId));
    const others = cycles.filter(
      (c) => !(mainThreadId !== null && c.tids.includes(mainThreadId)) || c.incomplete,
    );
    if (!mainCycle || others.length)
      for (const c of others.slice(0, 2)) parts.push(describeCycle(c, mainThreadId));
    if (!cycles.length && blockedCount > 1) parts.push(`${blockedCount} threads blocked, no deadlock cycle`);
    verdict = parts.filter(Boolean).join('; ');
    verdict = verdict.charAt(0).toUpperCase() + verdict.slice(1);
  }

  return {
    pid: doc.pid,
    producer: doc.producer,
    captureKind: doc.capture?.kind ?? null,
    captureFailed: doc.captureFailed,
    mainThreadId,
    mainThreadSource,
    threads,
    cycles,
    verdict,
    signature: hangSignature(graph, mainThreadId, cycles, doc.captureFailed),
    blockedCount,
    longestWaitMs,
    problems,
  };
}
