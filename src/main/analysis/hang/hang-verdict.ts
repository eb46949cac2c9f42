import type { DeadlockCycle, WctNode } from '../../../shared/domain/hang';
import type { WaitGraph } from './wait-graph';
import { statusName, typeName } from './wait-graph';

const MAX_HOPS = 8;

export function formatWait(ms: number | null): string {
  if (ms === null) return '';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) && !word.startsWith('uni') ? 'an' : 'a';
}

function describeObject(o: WctNode): string {
  const t = typeName(o.objectType);
  const named = o.objectName ? ` "${o.objectName}"` : '';
  if (o.objectType === 2) return `a SendMessage call${named}`;
  return `${article(t)} ${t}${named}`;
}

function threadLabel(
  tid: number,
  mainTid: number | null,
  graph: WaitGraph,
  pid: number | null,
  ownerNode: WctNode | null,
): string {
  if (tid === mainTid) return `main thread ${tid}`;
  const foreign =
    ownerNode?.thread &&
    pid !== null &&
    ownerNode.thread.processId !== 0 &&
    ownerNode.thread.processId !== pid;
  if (foreign) return `thread ${tid} of process ${ownerNode.thread?.processId}`;
  if (!graph.listed.has(tid)) return `thread ${tid} (not in the capture)`;
  return `thread ${tid}`;
}

/**
 * "main thread 5120 (waiting 9.4 s) waits on a critical section owned by thread 6312, which
 * waits on a mutex owned by main thread 5120: deadlock". Follows the wait graph, not only
 * the main thread's own chain, so links reported by other threads complete the story.
 */
export function describeWaitPath(
  graph: WaitGraph,
  startTid: number,
  mainTid: number | null,
  pid: number | null,
): string {
  const waitMs = graph.self.get(startTid)?.thread?.waitTime ?? null;
  const head = startTid === mainTid ? `main thread ${startTid}` : `thread ${startTid}`;
  let text = waitMs !== null && waitMs > 0 ? `${head} (waiting ${formatWait(waitMs)})` : head;
  const seen = new Set<number>([startTid]);
  let cur = startTid;
  let curNode: WctNode | null = null;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const e = graph.edges.get(cur);
    if (!e) {
      if (hop === 0) {
        const st = graph.self.get(cur)?.objectStatus;
        return `${text} is not blocked on a lock${st !== undefined ? ` (${statusName(st)})` : ''}`;
      }
      const st = (graph.self.get(cur) ?? curNode)?.objectStatus;
      return `${text}, which is ${st === 3 ? 'blocked on something WCT cannot see' : st !== undefined ? statusName(st) : 'not blocked'}`;
    }
    text += `${hop === 0 ? ' waits on ' : ', which waits on '}${describeObject(e.object)}`;
    if (e.owner === null) {
      const st = e.object.objectStatus;
      return `${text} that ${st === 7 ? 'no thread owns' : st === 8 ? 'was abandoned by its owner' : `has no known owner (${statusName(st)})`}`;
    }
    text += ` owned by ${threadLabel(e.owner, mainTid, graph, pid, e.ownerNode)}`;
    if (seen.has(e.owner)) return `${text}: deadlock`;
    seen.add(e.owner);
    cur = e.owner;
    curNode = e.ownerNode;
  }
  return `${text}, …`;
}

export function describeCycle(c: DeadlockCycle, mainTid: number | null): string {
  const names = c.tids.map((t) => (t === mainTid ? `main thread ${t}` : `thread ${t}`));
  const kinds = [...new Set(c.objects)].join('/');
  return `deadlock between ${names.join(', ')}${kinds ? ` over ${kinds}` : ''}${c.incomplete ? ' (flagged by WCT; not all members captured)' : ''}`;
}

/** Stable across machines and runs: object types along the main thread's path and the cycle shape, never tids or names. */
export function hangSignature(
  graph: WaitGraph,
  mainTid: number | null,
  cycles: DeadlockCycle[],
  captureFailed: boolean,
): string {
  if (captureFailed) return 'hang|wct-capture-failed';
  const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const path: string[] = [];
  let mainInCycle = false;
  if (mainTid !== null) {
    const seen = new Set<number>([mainTid]);
    let cur: number | null = mainTid;
    while (cur !== null && path.length < 4) {
      const e = graph.edges.get(cur);
      if (!e) break;
      path.push(slug(typeName(e.object.objectType)));
      if (e.owner === null || seen.has(e.owner)) {
        mainInCycle = e.owner !== null;
        break;
      }
      seen.add(e.owner);
      cur = e.owner;
    }
  }
  const main = path.length ? `main:${path.join('>')}` : 'main:not-blocked';
  const cyc = cycles.length
    ? `deadlock:${[...new Set(cycles.flatMap((c) => c.objects.map(slug)))].sort().join('+') || 'unknown'}${mainInCycle ? ':main' : ''}`
    : 'no-deadlock';
  return `hang|${main}|${cyc}`;
}
