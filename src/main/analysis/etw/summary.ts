import type {
  EtwEventType,
  EtwMainThreadReport,
  EtwModuleStat,
  EtwProcessStat,
  EtwSummary,
  EtwThreadStat,
  EtwTimeline,
} from '../../../shared/domain/etw';
import type { EventCatalog } from '../../formats/etl/catalog';
import type { EtlTrace, LogfileHeader } from '../../formats/etl/reader';
import { WAIT_REASONS } from '../../formats/etl/schemas/kernel';
import type { KernelModel, ProcessState, ThreadState } from './kernel-model';

/** Processes whose hang or crash the workbench is about. */
export const GAME_PROCESS = /^(SkyrimSE|SkyrimVR|Skyrim|TESV|Fallout4|Fallout4VR|Starfield)\.exe$/i;
/** Shown next to the game: noise for "who is busy", never the focus. */
const NOT_FOCUS =
  /^(Idle|System|wpr\.exe|xperf\.exe|PerfView\.exe|SkyrimDiagHelper\.exe|Registry|Secure System)$/i;

export interface SummaryInput {
  path: string;
  trace: EtlTrace;
  catalog: EventCatalog;
  kernel: KernelModel;
  events: number;
  firstTicks: number;
  lastTicks: number;
  bucketCount: number;
  eventSeries: Float64Array;
  mainThreadId?: number | null;
  focusPid?: number | null;
}

/** The kernel logger's own GUID (SystemTraceControlGuid): the provider id of "Windows Kernel". */
export const SYSTEM_TRACE_CONTROL_GUID = '9e814aad-3204-11d2-9a82-006008a86939';

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

function topReasons(t: ThreadState, ms: (ticks: number) => number, n = 3): { reason: string; ms: number }[] {
  const out: { reason: string; ms: number }[] = [];
  t.waitByReason.forEach((ticks, i) => {
    if (ticks > 0) out.push({ reason: WAIT_REASONS[i] ?? `Reason${i}`, ms: round(ms(ticks)) });
  });
  return out.sort((a, b) => b.ms - a.ms).slice(0, n);
}

function topOf(m: Map<string, number> | undefined, n: number): { name: string; samples: number }[] {
  return [...(m ?? new Map<string, number>())]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, samples]) => ({ name, samples }));
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '0%';
}

type ProviderStat = EtwSummary['providers'][number];
/** Ticks to milliseconds, and ticks to milliseconds since the trace start (rounded). */
interface Clock {
  ms: (ticks: number) => number;
  rel: (ticks: number) => number;
}

/** Event types seen in the trace, most frequent first. */
function eventTypes(catalog: EventCatalog): EtwEventType[] {
  return catalog.types
    .filter((t) => t.count > 0)
    .map((t) => ({
      typeId: t.typeId,
      provider: t.provider,
      providerGuid: t.providerGuid,
      event: t.event,
      count: t.count,
      payloadBytes: t.payloadBytes,
    }))
    .sort((a, b) => b.count - a.count);
}

/** Providers with their event and type counts; the kernel's per-group GUIDs count as one provider. */
function providersOf(types: EtwEventType[]): Map<string, ProviderStat> {
  const providers = new Map<string, ProviderStat>();
  for (const t of types) {
    // The kernel logs one GUID per event group; users know it as one provider.
    const kernelish = t.provider === 'Windows Kernel';
    const key = kernelish ? t.provider : `${t.providerGuid}|${t.provider}`;
    const guid = kernelish ? SYSTEM_TRACE_CONTROL_GUID : t.providerGuid;
    const p = providers.get(key) ?? { guid, name: t.provider, events: 0, types: 0 };
    p.events += t.count;
    p.types++;
    providers.set(key, p);
  }
  return providers;
}

/** The process the summary is about: the capture's, else the game, else the busiest; and why. */
function chooseFocus(
  procs: ProcessState[],
  focusPid: number | null | undefined,
  activity: (p: ProcessState) => number,
  hasCpu: boolean,
): { focus: ProcessState | null; why: string } {
  const named =
    focusPid != null
      ? procs.find((p) => p.pid === focusPid && (p.cpuTicks > 0 || p.events > 0 || p.threads > 0))
      : undefined;
  const game = named ?? procs.find((p) => GAME_PROCESS.test(p.name));
  const busiest = procs
    .filter((p) => !NOT_FOCUS.test(p.name) && p.pid > 4)
    .sort((a, b) => activity(b) - activity(a))[0];
  const focus = game ?? busiest ?? null;
  const why = named
    ? 'process of the capture'
    : game
      ? 'game process'
      : focus
        ? hasCpu
          ? 'most CPU time'
          : focus.samples > 0
            ? 'most CPU samples'
            : 'most events'
        : '';
  return { focus, why };
}

function processTable(
  procs: ProcessState[],
  kernel: KernelModel,
  activity: (p: ProcessState) => number,
  c: Clock,
  hasCpu: boolean,
): EtwProcessStat[] {
  return procs
    .sort((a, b) => activity(b) - activity(a) || a.pid - b.pid)
    .slice(0, 200)
    .map((p) => ({
      pid: p.pid,
      parentPid: p.parentPid,
      name: p.name,
      commandLine: p.commandLine,
      startMs: p.startTicks === null ? null : c.rel(p.startTicks),
      endMs: p.endTicks === null ? null : c.rel(p.endTicks),
      exitCode: p.exitCode,
      threads: Math.max(p.threads, threadsOf(kernel, p.pid).length),
      images: p.images.length,
      events: p.events,
      cpuMs: hasCpu ? round(c.ms(p.cpuTicks)) : null,
      samples: p.samples,
    }));
}

function threadsOf(kernel: KernelModel, pid: number): ThreadState[] {
  return [...kernel.threads.values()].filter((t) => t.pid === pid);
}

/** Sampled modules of the focus process (of everything when it has none), with the sample total. */
function topModulesOf(
  kernel: KernelModel,
  focus: ProcessState | null,
): { top: EtwModuleStat[]; total: number } {
  const focusModules = focus ? kernel.moduleSamplesOf((t) => t.pid === focus.pid) : null;
  const moduleCounts = focusModules && focusModules.size > 0 ? focusModules : kernel.moduleSamplesOf();
  const total = [...moduleCounts.values()].reduce((s, v) => s + v, 0);
  const top = topOf(moduleCounts, 15).map((m) => ({
    name: m.name,
    path: kernel.modulePaths.get(m.name) ?? '',
    samples: m.samples,
    percent: total ? round((m.samples / total) * 100, 1) : 0,
  }));
  return { top, total };
}

/** Events and I/O per bucket, CPU per top thread of the focus process. */
function timelineOf(i: SummaryInput, byCpu: ThreadState[], c: Clock): EtwTimeline {
  const bucketMs = c.ms((i.lastTicks - i.firstTicks) / i.bucketCount) || 1;
  const series = byCpu.filter((t) => t.cpuSeries).slice(0, 5);
  return {
    bucketMs: round(bucketMs),
    threads: series.map((t) => ({ tid: t.tid, label: t.name ? `${t.name} (${t.tid})` : `TID ${t.tid}` })),
    buckets: Array.from({ length: i.bucketCount }, (_, b) => ({
      t: round(c.ms(i.firstTicks - i.trace.startTicks) + b * bucketMs),
      events: i.eventSeries[b] ?? 0,
      cpu: series.map((t) => round(c.ms(t.cpuSeries![b] ?? 0))),
      ioBytes: i.kernel.ioSeries[b] ?? 0,
    })),
  };
}

function ioOf(kernel: KernelModel, c: Clock): EtwSummary['io'] {
  const io = kernel.io;
  const topFiles = [...kernel.fileBytes]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, 10)
    .map(([fo, f]) => ({
      path:
        kernel.fileNames.get(fo) ??
        kernel.fileNames.get(f.fileObject) ??
        `FileObject 0x${f.fileObject.toString(16)}`,
      bytes: f.bytes,
      ops: f.ops,
    }));
  return {
    diskReads: io.diskReads,
    diskWrites: io.diskWrites,
    diskReadBytes: io.diskReadBytes,
    diskWriteBytes: io.diskWriteBytes,
    diskTimeMs: round(c.ms(io.diskTicks)),
    fileCreates: io.fileCreates,
    fileReads: io.fileReads,
    fileWrites: io.fileWrites,
    fileReadBytes: io.fileReadBytes,
    fileWriteBytes: io.fileWriteBytes,
    hardFaults: io.hardFaults,
    hardFaultBytes: io.hardFaultBytes,
    topFiles,
  };
}

function headerOf(h: LogfileHeader | null): EtwSummary['header'] {
  return h
    ? {
        loggerName: h.loggerName,
        logFileName: h.logFileName,
        osBuild: h.providerVersion,
        osVersion: h.versionText,
        pointerSize: h.pointerSize,
        processors: h.numberOfProcessors,
        cpuSpeedMHz: h.cpuSpeedMHz,
        bufferSize: h.bufferSize,
        timerResolution: h.timerResolution,
        perfFreq: h.perfFreq,
        clockType: h.clockType,
        startTime: h.startTime,
        endTime: h.endTime,
        bootTime: h.bootTime,
        eventsLost: h.eventsLost,
        buffersLost: h.buffersLost,
        logFileMode: h.logFileMode,
        timeZoneBias: h.timeZoneBias,
      }
    : null;
}

interface FactsInput {
  i: SummaryInput;
  durationMs: number;
  providerCount: number;
  focus: ProcessState | null;
  focusWhy: string;
  mainThread: EtwMainThreadReport | null;
  modules: { top: EtwModuleStat[]; total: number };
}

/** The plain sentences of the Overview, in reading order. */
function factsOf(f: FactsInput): string[] {
  const { trace, kernel } = f.i;
  const h = trace.header;
  const io = kernel.io;
  const facts: string[] = [];
  facts.push(
    `ETW trace: ${f.i.events.toLocaleString('en-US')} events from ${f.providerCount} provider(s) over ${(f.durationMs / 1000).toFixed(1)} s` +
      (h ? ` (${h.loggerName}, ${h.numberOfProcessors} CPUs, Windows build ${h.providerVersion})` : ''),
  );
  if (!kernel.hasKernel) facts.push('No kernel events (no CPU, thread or I/O data); provider events only.');
  if (f.focus) facts.push(`Focus process: ${f.focus.name} (pid ${f.focus.pid}, ${f.focusWhy}).`);
  if (f.mainThread) facts.push(f.mainThread.sentence);
  const top = f.modules.top[0];
  if (top && f.modules.total > 0)
    facts.push(`Top sampled module: ${top.name} (${top.percent}% of ${f.modules.total} samples).`);
  if (io.diskReads + io.diskWrites > 0)
    facts.push(
      `Disk: ${io.diskReads} reads (${mb(io.diskReadBytes)}), ${io.diskWrites} writes (${mb(io.diskWriteBytes)}).`,
    );
  if (io.hardFaults > 0) facts.push(`Hard page faults: ${io.hardFaults} (${mb(io.hardFaultBytes)}).`);
  if (h && (h.eventsLost > 0 || h.buffersLost > 0))
    facts.push(`Lost: ${h.eventsLost} events, ${h.buffersLost} buffers.`);
  const cut = trace.problems.items.find((p) => p.code === 'missing_buffers' || p.code === 'truncated_buffer');
  if (cut) facts.splice(1, 0, `Incomplete trace: ${cut.message}.`);
  if (trace.problems.count > 0)
    facts.push(
      `${trace.problems.count} problem(s) while reading the trace (bad buffers or records skipped).`,
    );
  return facts;
}

/** Any problem means some of the trace went unread: say so, and what (the first lines). */
function completeness(trace: EtlTrace): { incomplete: boolean; missing: string[] } {
  const missing = trace.problems.items.slice(0, 20).map((p) => `${p.code}: ${p.message}`);
  const more = trace.problems.count - missing.length;
  if (more > 0) missing.push(`${more} more problem(s)`);
  return { incomplete: trace.problems.count > 0, missing };
}

export function buildSummary(i: SummaryInput): EtwSummary {
  const { trace, catalog, kernel } = i;
  const tps = trace.ticksPerSecond;
  const ms = (ticks: number) => (ticks * 1000) / tps;
  const c: Clock = { ms, rel: (ticks) => round(ms(ticks - trace.startTicks)) };
  const hasCpu = kernel.cswitches > 0;

  const types = eventTypes(catalog);
  const providers = providersOf(types);
  const procs = [...kernel.processes.values()].filter((p) => p.pid !== 0xffffffff);
  const activity = (p: ProcessState) => (hasCpu ? p.cpuTicks : p.samples > 0 ? p.samples : p.events);
  const { focus, why: focusWhy } = chooseFocus(procs, i.focusPid, activity, hasCpu);

  const threadStat = (t: ThreadState): EtwThreadStat => ({
    tid: t.tid,
    pid: t.pid,
    name: t.name,
    cpuMs: hasCpu ? round(ms(t.cpuTicks)) : null,
    waitMs: hasCpu ? round(ms(t.waitTicks)) : null,
    samples: t.samples,
    readyCount: t.readyCount,
    topWaitReasons: topReasons(t, ms),
    events: t.events,
  });
  const focusThreads = focus ? threadsOf(kernel, focus.pid) : [...kernel.threads.values()];
  const byCpu = [...focusThreads]
    .sort((a, b) => (hasCpu ? b.cpuTicks - a.cpuTicks : b.samples - a.samples || b.events - a.events))
    .slice(0, 10);
  const byWait = hasCpu
    ? [...focusThreads]
        .filter((t) => t.waitTicks > 0)
        .sort((a, b) => b.waitTicks - a.waitTicks)
        .slice(0, 10)
    : [];

  const processes = processTable(procs, kernel, activity, c, hasCpu);
  const modules = topModulesOf(kernel, focus);
  const timeline = timelineOf(i, byCpu, c);
  const mainThread = focus && kernel.hasKernel ? mainThreadReport(i, focus.pid, ms, c.rel, hasCpu) : null;
  const durationMs = round(ms(i.lastTicks - i.firstTicks));
  const facts = factsOf({
    i,
    durationMs,
    providerCount: providers.size,
    focus,
    focusWhy,
    mainThread,
    modules,
  });

  return {
    file: i.path,
    size: trace.src.size,
    header: headerOf(trace.header),
    buffers: trace.buffers.length,
    compressedBuffers: trace.buffers.filter((b) => b.compressed).length,
    badBuffers: trace.problems.items.filter((p) => p.code.includes('buffer') || p.code === 'bad_compression')
      .length,
    events: i.events,
    durationMs,
    firstEventMs: c.rel(i.firstTicks),
    lastEventMs: c.rel(i.lastTicks),
    providers: [...providers.values()].sort((a, b) => b.events - a.events),
    types,
    hasKernel: kernel.hasKernel,
    focusProcess: focus ? { pid: focus.pid, name: focus.name, why: focusWhy } : null,
    processes,
    topThreadsByCpu: byCpu.map(threadStat),
    topThreadsByWait: byWait.map(threadStat),
    topModules: modules.top,
    totalSamples: kernel.totalSamples,
    io: ioOf(kernel, c),
    mainThread,
    timeline,
    problems: trace.problems.items,
    problemCount: trace.problems.count,
    ...completeness(trace),
    facts,
  };
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function mainThreadReport(
  i: SummaryInput,
  pid: number,
  ms: (ticks: number) => number,
  rel: (ticks: number) => number,
  hasCpu: boolean,
): EtwMainThreadReport | null {
  const k = i.kernel;
  let tid = i.mainThreadId ?? null;
  let how = 'given by the capture';
  if (tid === null || !k.threads.has(tid)) {
    const first = k.processes.get(pid)?.firstThread ?? null;
    if (first !== null) {
      tid = first;
      how = 'first thread of the process in the trace';
    } else {
      const busiest = [...k.threads.values()]
        .filter((t) => t.pid === pid)
        .sort((a, b) => b.events - a.events)[0];
      if (!busiest) return null;
      tid = busiest.tid;
      how = 'busiest thread of the process (no thread start events)';
    }
  }
  const t = k.threads.get(tid);
  if (!t) return null;
  const window = ms(i.lastTicks - i.firstTicks);
  const running = ms(t.cpuTicks);
  const waiting = ms(t.waitTicks);
  const ready = ms(t.readyTicks);
  const reasons = topReasons(t, ms, 5);
  const cpuMods = topOf(
    k.moduleSamplesOf((x) => x.tid === tid),
    8,
  );
  const waitMods = topOf(k.waitStacks.get(tid)?.modules, 8);
  const proc = k.processes.get(pid)?.name ?? `pid ${pid}`;
  const label = t.name ? `"${t.name}" (${tid})` : `${tid}`;
  let sentence: string;
  if (hasCpu) {
    const parts = [
      `Main thread ${label} of ${proc} over ${(window / 1000).toFixed(1)} s: running ${pct(running, window)}`,
    ];
    if (cpuMods.length)
      parts.push(
        ` (samples mostly in ${cpuMods
          .slice(0, 3)
          .map((m) => m.name)
          .join(', ')})`,
      );
    parts.push(`, waiting ${pct(waiting, window)}`);
    if (reasons.length)
      parts.push(
        ` (${reasons
          .slice(0, 2)
          .map((r) => r.reason)
          .join(', ')})`,
      );
    const blocking = topOf(k.waitStacks.get(tid)?.callers, 2);
    if (blocking.length) parts.push(`, blocked in calls from ${blocking.map((m) => m.name).join(', ')}`);
    parts.push(`, ready ${pct(ready, window)}.`);
    sentence = parts.join('');
  } else if (t.samples > 0) {
    sentence = `Main thread ${label} of ${proc}: ${t.samples} CPU samples, mostly in ${cpuMods
      .slice(0, 3)
      .map((m) => m.name)
      .join(', ')} (no context switches recorded, so no wait time).`;
  } else sentence = `Main thread ${label} of ${proc}: ${t.events} events; no CPU or wait data in this trace.`;
  return {
    tid,
    how,
    windowStartMs: rel(i.firstTicks),
    windowEndMs: rel(i.lastTicks),
    runningMs: round(running),
    waitingMs: round(waiting),
    readyMs: round(ready),
    topWaitReasons: reasons,
    topModules: cpuMods,
    waitModules: waitMods,
    sentence,
  };
}
