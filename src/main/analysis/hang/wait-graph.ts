import {
  WCT_OBJECT_STATUS_NAMES,
  WCT_OBJECT_TYPE_NAMES,
  WCT_THREAD_TYPE,
} from '../../../shared/domain/wct-codes';
import type { WctDocument, WctNode, WctThread } from '../../../shared/domain/hang';

/** One "thread waits on object, owned by thread" link of the wait graph. */
export interface WaitEdge {
  from: number;
  object: WctNode;
  /** Owner thread, or null when the object has no owner (not owned, abandoned, no access). */
  owner: number | null;
  ownerNode: WctNode | null;
}

/**
 * Thread → object → owner thread. Thread ids are system-wide on Windows, so owners in other
 * processes (SendMessage to another app's window) fit in the same map.
 */
export interface WaitGraph {
  /** First link each thread's own chain (or any chain passing through it) reports. */
  edges: Map<number, WaitEdge>;
  /** Own node (nodes[0]) of each listed thread, for wait time and status. */
  self: Map<number, WctNode>;
  listed: Set<number>;
}

export function typeName(t: number): string {
  return WCT_OBJECT_TYPE_NAMES[t] ?? `object type ${t}`;
}
export function statusName(s: number): string {
  return WCT_OBJECT_STATUS_NAMES[s] ?? `status ${s}`;
}

/** Nodes after the thread's own node; chains that do not start with the thread are taken whole. */
export function chainNodes(t: WctThread): WctNode[] {
  const first = t.nodes[0];
  if (first && first.objectType === WCT_THREAD_TYPE && first.thread?.threadId === t.tid)
    return t.nodes.slice(1);
  return t.nodes;
}

export function ownNode(t: WctThread): WctNode | null {
  const first = t.nodes[0];
  return first && first.objectType === WCT_THREAD_TYPE && first.thread?.threadId === t.tid ? first : null;
}

function addChainEdges(tid: number, nodes: readonly WctNode[], edges: Map<number, WaitEdge>): void {
  let current: number | null = tid;
  let pendingObject: WctNode | null = null;
  for (const node of nodes) {
    if (node.objectType === WCT_THREAD_TYPE && node.thread) {
      const next = node.thread.threadId;
      if (current !== null && pendingObject && !edges.has(current)) {
        edges.set(current, { from: current, object: pendingObject, owner: next, ownerNode: node });
      }
      current = next;
      pendingObject = null;
    } else {
      // A thread node followed by two objects keeps the last one: it is what the owner is found through.
      pendingObject = node;
    }
  }
  if (current !== null && pendingObject && !edges.has(current)) {
    edges.set(current, { from: current, object: pendingObject, owner: null, ownerNode: null });
  }
}

export function buildWaitGraph(doc: WctDocument): WaitGraph {
  const edges = new Map<number, WaitEdge>();
  const self = new Map<number, WctNode>();
  const listed = new Set<number>();
  for (const t of doc.threads) {
    listed.add(t.tid);
    const own = ownNode(t);
    if (own && !self.has(t.tid)) self.set(t.tid, own);
  }
  // Own chains first so a thread's own report wins over what another chain says about it.
  for (const t of doc.threads) addChainEdges(t.tid, chainNodes(t), edges);
  return { edges, self, listed };
}

/**
 * Deadlock cycles in the (mostly functional) wait graph: each thread has at most one
 * outgoing edge, so one walk per unvisited thread finds every cycle in O(n) without recursion.
 */
export function findCycles(graph: WaitGraph): number[][] {
  const state = new Map<number, number>(); // 1 = on current walk, 2 = done
  const cycles: number[][] = [];
  const starts = [...graph.edges.keys()].sort((a, b) => a - b);
  for (const start of starts) {
    if (state.has(start)) continue;
    const path: number[] = [];
    let cur: number | null = start;
    while (cur !== null && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = graph.edges.get(cur)?.owner ?? null;
    }
    if (cur !== null && state.get(cur) === 1) {
      const cyc = path.slice(path.indexOf(cur));
      // Rotate so the smallest tid leads: the same cycle always reads the same.
      const min = cyc.indexOf(Math.min(...cyc));
      cycles.push([...cyc.slice(min), ...cyc.slice(0, min)]);
    }
    for (const p of path) state.set(p, 2);
  }
  return cycles;
}
