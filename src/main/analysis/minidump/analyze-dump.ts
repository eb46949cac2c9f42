import { cached } from '../../formats/common/block-cache';
import { withFileSource, type ByteSource } from '../../formats/common/byte-source';
import { readMinidump, readStreamPayload, type Minidump } from '../../formats/minidump/reader';
import type { DumpAnalysis, DumpFrame, MemoryWindow } from '../../../shared/domain/minidump';
import { rankSuspects } from '../cause/model';
import {
  dumpCause,
  dumpCauseInput,
  dumpMissing,
  rememberCauseInput,
  threadLeads,
  toDumpCulprits,
} from './culprits';
import { EXCEPTION_NAMES } from '../../formats/common/exception-codes';
import { dumpCompleteness, explainCrash, verdictTitle } from './explain';
import { moduleRole } from './module-roles';
import { dumpBucket } from '../signature/sources';
import { DumpMemory, scanStackForModules, walkStack, type StackFrame } from './stackwalk';
import { SymbolStore } from './symbols';
import { fileNameOf, hex } from '../../../shared/text';

export { verdictTitle };

export interface DumpOptions {
  /** Breakpad symbol directories (`<dir>/<pdb>/<id>/<name>.sym`). */
  symbols?: readonly string[];
}

export function frameToJson(f: StackFrame): DumpFrame {
  return {
    index: f.index,
    ip: hex(f.ip),
    sp: hex(f.sp),
    trust: f.trust,
    module: f.module ?? null,
    moduleOffset: f.moduleOffset === undefined ? null : hex(f.moduleOffset),
    function: f.function ?? null,
    functionOffset: f.functionOffset === undefined ? null : hex(f.functionOffset),
    file: f.file ?? null,
    line: f.line ?? null,
    lineOffset: f.lineOffset === undefined ? null : hex(f.lineOffset),
  };
}

/** Everything the Crash tab, the CLI and the index need from one dump, in one pass over the file. */
export function analyzeMinidump(input: ByteSource, md: Minidump, opts: DumpOptions = {}): DumpAnalysis {
  const src = cached(input);
  const symbols = opts.symbols?.length ? new SymbolStore(opts.symbols) : undefined;
  const crash = explainCrash(md);
  const crashed = crash ? md.threads[crash.threadIndex] : undefined;
  const thread = crashed ?? md.threads[0];
  const context = crashed ? (md.exception?.context ?? crashed.context) : thread?.context;
  const frames = thread ? walkStack(src, md, thread, context, symbols) : [];
  const hits = thread ? scanStackForModules(src, md, thread) : [];
  const causeInput = dumpCauseInput(md, crash, frames, hits, context);
  const suspects = rankSuspects(causeInput).map(({ families: _f, ...s }) => s);
  // Incomplete means the file itself is cut or damaged; `missing` also lists what the walk lacked
  // for a confident answer (scan-only frames), which the culprit model weighs.
  const completeness = dumpCompleteness(md, src.size);
  const missing = [...completeness.missing, ...dumpMissing(frames, thread)];
  const stack = frames.map(frameToJson);
  // The two-level scheme (analysis/signature): exception class + first non-victim trusted frames.
  const bucket = crash
    ? dumpBucket(
        {
          code: crash.code,
          faultingModule: crash.faultingModule?.name ?? null,
          faultingOffset: crash.faultingModule?.offset ?? null,
        },
        stack,
      )
    : { key: 'no-exception', title: 'No exception (manual or hang dump)' };
  const misc: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(md.misc ?? {}))
    if (typeof v === 'number' || typeof v === 'string') misc[k] = v;
  const annotations: Record<string, string> = { ...(md.crashpad?.annotations ?? {}) };
  for (const m of md.crashpad?.moduleAnnotations ?? [])
    for (const [k, v] of Object.entries(m.simple)) annotations[`module[${m.moduleIndex}].${k}`] = v;
  const registers: Record<string, string> = {};
  for (const [k, v] of Object.entries(context?.regs ?? {})) registers[k] = hex(v);
  const out: DumpAnalysis = {
    file: src.name,
    system: md.system
      ? {
          os: md.system.os,
          osVersion: md.system.osVersionFull ?? md.system.osVersion,
          cpu: md.system.cpu,
          cpuInfo: md.system.cpuInfo ?? '',
          cpuCount: md.system.cpuCount,
        }
      : null,
    exception:
      crash && md.exception
        ? {
            code: hex(crash.code),
            name: EXCEPTION_NAMES[crash.code] ?? null,
            reason: crash.reason,
            address: hex(md.exception.address),
            crashAddress: hex(crash.crashAddress),
            parameters: md.exception.parameters.map(hex),
            threadId: crash.threadId,
            threadIndex: crash.threadIndex,
            threadName: crash.threadName ?? null,
            location: crash.location,
            faultingModule: crash.faultingModule?.name ?? null,
            faultingOffset: crash.faultingModule ? hex(crash.faultingModule.offset) : null,
          }
        : null,
    verdict: crash ? verdictTitle(crash) : 'Dump without an exception stream',
    signature: bucket.key,
    bucketTitle: bucket.title,
    culprits: toDumpCulprits(suspects),
    suspects,
    probableCause: null,
    incomplete: completeness.incomplete,
    missing,
    threadLeads: crash ? [] : threadLeads(src, md, symbols),
    registers,
    stack,
    threads: md.threads.map((t) => ({
      index: t.index,
      id: t.id,
      name: t.name ?? null,
      crashed: t === crashed,
      stackStart: hex(t.stackStart),
      stackSize: t.stackSize,
      ip: t.context ? hex(t.context.ip) : null,
    })),
    modules: md.modules.map((m) => ({
      name: fileNameOf(m.name),
      path: m.name,
      base: hex(m.base),
      size: m.size,
      version: m.version?.file ?? null,
      pdbName: m.codeView?.pdbName || null,
      debugId: m.codeView?.debugId || null,
      timestamp: m.timestamp,
      role: moduleRole(fileNameOf(m.name)),
    })),
    unloadedModules: md.unloadedModules.map((m) => ({
      name: fileNameOf(m.name),
      base: hex(m.base),
      size: m.size,
    })),
    streams: md.streams.map((s) => ({ type: s.type, name: s.name, offset: s.offset, size: s.size })),
    memory: md.memory.map((r) => ({ start: hex(r.start), size: r.size })),
    misc,
    comments: md.comments,
    annotations,
    problems: md.problems,
  };
  rememberCauseInput(out, causeInput);
  out.probableCause = dumpCause(out, []).probableCause;
  return out;
}

/** One block cache for the whole analysis: the reader and the walker share what they fetched. */
export function analyzeDumpSource(input: ByteSource, opts: DumpOptions = {}): DumpAnalysis {
  const src = cached(input);
  return analyzeMinidump(src, readMinidump(src), opts);
}

export function analyzeDumpFile(path: string, opts: DumpOptions = {}): DumpAnalysis {
  return withFileSource(path, (src) => analyzeDumpSource(src, opts));
}

function withDumpFile<T>(path: string, fn: (src: ByteSource) => T): T {
  return withFileSource(path, (src) => fn(cached(src)));
}

/** On-demand stack of any thread (the Crash tab's thread list). */
export function threadStack(path: string, threadIndex: number, opts: DumpOptions = {}): DumpFrame[] {
  return withDumpFile(path, (src) => {
    const md = readMinidump(src);
    const t = md.threads[threadIndex];
    if (!t) return [];
    const ctx = md.exception?.threadId === t.id ? (md.exception.context ?? t.context) : t.context;
    const symbols = opts.symbols?.length ? new SymbolStore(opts.symbols) : undefined;
    return walkStack(src, md, t, ctx, symbols).map(frameToJson);
  });
}

/** A hex window of captured memory; never more than 64 KiB per request. */
export function memoryWindow(path: string, address: bigint, length: number): MemoryWindow {
  const len = Math.max(0, Math.min(length, 64 * 1024));
  return withDumpFile(path, (src) => {
    const md = readMinidump(src);
    const ranges = [...md.memory];
    for (const t of md.threads) ranges.push({ start: t.stackStart, size: t.stackSize, rva: t.stackRva });
    ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const region = ranges.find((r) => address >= r.start && address < r.start + BigInt(r.size));
    if (!region) return { address: hex(address), bytes: '', regionStart: null, regionSize: null };
    const avail = Number(region.start + BigInt(region.size) - address);
    const mem = new DumpMemory(src, ranges);
    const b = mem.read(address, Math.min(len, avail));
    return {
      address: hex(address),
      bytes: b ? b.toString('hex') : '',
      regionStart: hex(region.start),
      regionSize: region.size,
    };
  });
}

export type { Minidump };

/** Hex bytes of directory entry `index` (any stream type, known or not). */
export function streamBytes(
  path: string,
  index: number,
  offset: number,
  length: number,
): { name: string; type: number; size: number; offset: number; bytes: string } | null {
  return withDumpFile(path, (src) => {
    const md = readMinidump(src);
    const s = md.streams[index];
    if (!s) return null;
    let bytes = '';
    try {
      bytes = readStreamPayload(src, s, offset, length).toString('hex');
    } catch {
      // A stream pointing past the end has no bytes to show; its problem is already listed.
    }
    return { name: s.name, type: s.type, size: s.size, offset, bytes };
  });
}
