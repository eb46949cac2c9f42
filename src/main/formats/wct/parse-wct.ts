import { readFileSync, statSync } from 'node:fs';
import { ParseError } from '../common/parse-error';
import type { WctCaptureInfo, WctDocument, WctNode, WctPass, WctThread } from '../../../shared/domain/hang';
import { parseJsonText } from '../../../shared/text';

/** Real WCT files are tens of KB; 64 MiB leaves room for 10,000+ threads and stops a runaway file. */
export const MAX_WCT_BYTES = 64 * 1024 * 1024;
/** More threads than any real process has; past this the rest is dropped with a problem. */
export const MAX_WCT_THREADS = 100_000;
/** GetThreadWaitChain returns at most WCT_MAX_NODE_COUNT (16) nodes; allow a margin for hand-made files. */
export const MAX_WCT_NODES = 64;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function num(v: Json | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function bool(v: Json | undefined): boolean | null {
  return typeof v === 'boolean' ? v : null;
}
function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
function numArray(v: Json | undefined): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : [];
}

function parseNode(raw: Json, where: string, problems: string[]): WctNode | null {
  if (!isObj(raw)) {
    problems.push(`${where}: not an object`);
    return null;
  }
  const objectType = num(raw.objectType);
  if (objectType === null) {
    problems.push(`${where}: objectType missing`);
    return null;
  }
  const node: WctNode = { objectType, objectStatus: num(raw.objectStatus) ?? 9 };
  const name = str(raw.objectName);
  if (name !== null) node.objectName = name;
  if (isObj(raw.thread)) {
    const t = raw.thread;
    const threadId = num(t.threadId);
    if (threadId === null) problems.push(`${where}.thread: threadId missing`);
    else
      node.thread = {
        processId: num(t.processId) ?? 0,
        threadId,
        waitTime: num(t.waitTime) ?? 0,
        contextSwitches: num(t.contextSwitches) ?? 0,
      };
  }
  return node;
}

function parseThreads(raw: Json | undefined, where: string, problems: string[]): WctThread[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where}: not an array`);
    return [];
  }
  if (raw.length > MAX_WCT_THREADS)
    problems.push(`${where}: ${raw.length} threads, only the first ${MAX_WCT_THREADS} read`);
  const out: WctThread[] = [];
  const n = Math.min(raw.length, MAX_WCT_THREADS);
  for (let i = 0; i < n; i++) {
    const t = raw[i];
    if (!isObj(t)) continue; // SkyrimDiag's shortened examples put "…" strings here
    const tid = num(t.tid);
    if (tid === null) {
      problems.push(`${where}[${i}]: tid missing`);
      continue;
    }
    const nodesRaw = Array.isArray(t.nodes) ? t.nodes : [];
    if (nodesRaw.length > MAX_WCT_NODES)
      problems.push(`${where}[${i}]: ${nodesRaw.length} nodes, first ${MAX_WCT_NODES} kept`);
    const nodes: WctNode[] = [];
    for (let j = 0; j < Math.min(nodesRaw.length, MAX_WCT_NODES); j++) {
      const node = parseNode(nodesRaw[j] as Json, `${where}[${i}].nodes[${j}]`, problems);
      if (node) nodes.push(node);
    }
    const thread: WctThread = { tid, isCycle: bool(t.isCycle) ?? false, nodes };
    const err = num(t.error);
    if (err !== null) thread.error = err;
    out.push(thread);
  }
  return out;
}

function parsePass(raw: Json, i: number, problems: string[]): WctPass | null {
  if (!isObj(raw)) return null;
  const threads = Array.isArray(raw.threads) ? raw.threads.length : 0;
  void problems;
  return {
    passIndex: num(raw.pass_index) ?? i,
    usable: bool(raw.capture_usable) ?? false,
    threadCount: threads,
    cycleThreadIds: numArray(raw.cycle_thread_ids),
    hasLoadingSignal: bool(raw.has_loading_signal) ?? false,
    longestWaitTid: num(raw.longest_wait_tid),
    longestWaitMs: num(raw.longest_wait_ms),
  };
}

function parseCapture(raw: Json | undefined): WctCaptureInfo | null {
  if (!isObj(raw)) return null;
  return {
    kind: str(raw.kind),
    secondsSinceHeartbeat: num(raw.secondsSinceHeartbeat),
    thresholdSec: num(raw.thresholdSec),
    isLoading: bool(raw.isLoading),
    stateFlags: num(raw.stateFlags),
    dumpTransport: str(raw.dump_transport),
  };
}

/**
 * Parses SkyrimDiag's WCT JSON (§9.1: both passes, the capture block, the capture_failed
 * form) and ours (the same shape plus `producer` and `main_tid`). Missing fields become
 * nulls/defaults with a problem noted; only text that is not a JSON object is an error.
 */
export function parseWct(text: string, file = '<wct>'): WctDocument {
  let root: Json;
  try {
    root = parseJsonText(text) as Json;
  } catch (e) {
    const m = /position (\d+)/.exec(String(e));
    throw new ParseError(`WCT file is not valid JSON: ${(e as Error).message}`, {
      file,
      field: 'json',
      offset: m ? Number(m[1]) : 0,
      code: 'bad_json',
    });
  }
  if (!isObj(root))
    throw new ParseError('WCT file is not a JSON object', {
      file,
      field: 'root',
      offset: 0,
      code: 'bad_shape',
    });
  const problems: string[] = [];
  const producerRaw = isObj(root.producer) ? str(root.producer.name) : str(root.producer);
  const producer = producerRaw === 'ctd-workbench' ? 'ctd-workbench' : 'skyrimdiag';
  const errorText = str(root.error);
  const captureFailed = errorText === 'capture_failed' || bool(root.capture_failed) === true;

  let threads = parseThreads(root.threads, 'threads', problems);
  const passesRaw = Array.isArray(root.passes) ? root.passes : [];
  const passes: WctPass[] = [];
  passesRaw.forEach((p, i) => {
    const pass = parsePass(p, i, problems);
    if (pass) passes.push(pass);
  });
  // Top-level threads are "the first usable pass"; if absent, take them from that pass ourselves.
  if (threads.length === 0 && root.threads === undefined) {
    const usable = passesRaw.find((p) => isObj(p) && p.capture_usable === true) ?? passesRaw[0];
    if (isObj(usable)) threads = parseThreads(usable.threads, 'passes[].threads', problems);
  }
  if (!captureFailed && root.threads === undefined && threads.length === 0) problems.push('threads: missing');

  return {
    producer,
    pid: num(root.pid),
    threads,
    passes,
    capturePasses: num(root.capture_passes),
    cycleConsensus: bool(root.cycle_consensus),
    repeatedCycleTids: numArray(root.repeated_cycle_tids),
    captureFailed,
    error: errorText,
    capture: parseCapture(root.capture),
    mainThreadId: num(root.main_tid),
    problems,
  };
}

export function readWctFile(path: string): WctDocument {
  checkWctSize(statSync(path).size, path);
  return parseWct(readFileSync(path, 'utf8'), path);
}

/** The same for bytes the caller has read already. */
export function parseWctBytes(bytes: Buffer, path: string): WctDocument {
  checkWctSize(bytes.length, path);
  return parseWct(bytes.toString('utf8'), path);
}

function checkWctSize(size: number, path: string): void {
  if (size > MAX_WCT_BYTES)
    throw new ParseError(`WCT file is ${size} bytes, over the ${MAX_WCT_BYTES}-byte limit`, {
      file: path,
      field: 'size',
      offset: 0,
      code: 'too_large',
    });
}
