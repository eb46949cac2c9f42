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
import type { EtlTrace } from '../../formats/etl/reader';
import { WAIT_REASONS } from '../../formats/etl/schemas/kernel';
import type { KernelModel, ThreadState } from './kernel-model';

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

export function buildSummary(i: SummaryInput): EtwSummary {
  const { trace, catalog, kernel } = i;
  const tps = trace.ticksPerSecond;
  const ms = (ticks: number) => (ticks * 1000) / tps;
  const rel = (ticks: number) => round(ms(ticks - trace.startTicks));
  const h = trace.header;
  const hasCpu = kernel.cswitches > 0;

  const types: EtwEventType[] = catalog.types
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
  const providers = new Map<string, { guid: string; name: string; events: number; types: number }>();
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

  const procs = [...kernel.processes.values()].filter((p) => p.pid !== 0xffffffff);
  const threadsOf = (pid: number) => [...kernel.threads.values()].filter((t) => t.pid === pid);
  const named =
    i.focusPid != null
      ? procs.find((p) => p.pid === i.focusPid && (p.cpuTicks > 0 || p.events > 0 || p.threads > 0))
      : undefined;
  const game = named ?? procs.find((p) => GAME_PROCESS.test(p.name));
  const activity = (p: (typeof procs)[number]) =>
    hasCpu ? p.cpuTicks : p.samples > 0 ? p.samples : p.events;
  const busiest = procs
    .filter((p) => !NOT_FOCUS.test(p.name) && p.pid > 4)
    .sort((a, b) => activity(b) - activity(a))[0];
  const focus = game ?? busiest ?? null;
  const focusWhy = named
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
  const focusThreads = focus ? threadsOf(focus.pid) : [...kernel.threads.values()];
  const byCpu = [...focusThreads]
    .sort((a, b) => (hasCpu ? b.cpuTicks - a.cpuTicks : b.samples - a.samples || b.events - a.events))
    .slice(0, 10);
  const byWait = hasCpu
    ? [...focusThreads]
        .filter((t) => t.waitTicks > 0)
        .sort((a, b) => b.waitTicks - a.waitTicks)
        .slice(0, 10)
    : [];

  const processes: EtwProcessStat[] = procs
    .sort((a, b) => activity(b) - activity(a) || a.pid - b.pid)
    .slice(0, 200)
    .map((p) => ({
      pid: p.pid,
      parentPid: p.parentPid,
      name: p.name,
      commandLine: p.commandLine,
      startMs: p.startTicks === null ? null : rel(p.startTicks),
      endMs: p.endTicks === null ? null : rel(p.endTicks),
      exitCode: p.exitCode,
      threads: Math.max(p.threads, threadsOf(p.pid).length),
      images: p.images.length,
      events: p.events,
      cpuMs: hasCpu ? round(ms(p.cpuTicks)) : null,
      samples: p.samples,
    }));

  const focusModules = focus ? kernel.moduleSamplesOf((t) => t.pid === focus.pid) : null;
  const moduleCounts = focusModules && focusModules.size > 0 ? focusModules : kernel.moduleSamplesOf();
  const moduleTotal = [...moduleCounts.values()].reduce((s, v) => s + v, 0);
  const topModules: EtwModuleStat[] = topOf(moduleCounts, 15).map((m) => ({
    name: m.name,
    path: kernel.modulePaths.get(m.name) ?? '',
    samples: m.samples,
    percent: moduleTotal ? round((m.samples / moduleTotal) * 100, 1) : 0,
  }));

  // Timeline: events and I/O per bucket, CPU per top thread of the focus process.
  const bucketMs = ms((i.lastTicks - i.firstTicks) / i.bucketCount) || 1;
  const series = byCpu.filter((t) => t.cpuSeries).slice(0, 5);
  const timeline: EtwTimeline = {
    bucketMs: round(bucketMs),
    threads: series.map((t) => ({ tid: t.tid, label: t.name ? `${t.name} (${t.tid})` : `TID ${t.tid}` })),
    buckets: Array.from({ length: i.bucketCount }, (_, b) => ({
      t: round(ms(i.firstTicks - trace.startTicks) + b * bucketMs),
      events: i.eventSeries[b] ?? 0,
      cpu: series.map((t) => round(ms(t.cpuSeries![b] ?? 0))),
      ioBytes: kernel.ioSeries[b] ?? 0,
    })),
  };

  const mainThread = focus && kernel.hasKernel ? mainThreadReport(i, focus.pid, ms, rel, hasCpu) : null;
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

  const durationMs = round(ms(i.lastTicks - i.firstTicks));
  const facts: string[] = [];
  facts.push(
    `ETW trace: ${i.events.toLocaleString('en-US')} events from ${providers.size} provider(s) over ${(durationMs / 1000).toFixed(1)} s` +
      (h ? ` (${h.loggerName}, ${h.numberOfProcessors} CPUs, Windows build ${h.providerVersion})` : ''),
  );
  if (!kernel.hasKernel) facts.push('No kernel events (no CPU, thread or I/O data); provider events only.');
  if (focus) facts.push(`Focus process: ${focus.name} (pid ${focus.pid}, ${focusWhy}).`);
  if (mainThread) facts.push(mainThread.sentence);
  if (topModules[0] && moduleTotal > 0)
    facts.push(
      `Top sampled module: ${topModules[0].name} (${topModules[0].percent}% of ${moduleTotal} samples).`,
    );
  if (io.diskReads + io.diskWrites > 0)
    facts.push(
      `Disk: ${io.diskReads} reads (${mb(io.diskReadBytes)}), ${io.diskWrites} writes (${mb(io.diskWriteBytes)}).`,
    );
  if (io.hardFaults > 0) facts.push(`Hard page faults: ${io.hardFaults} (${mb(io.hardFaultBytes)}).`);
  if (h && (h.eventsLost > 0 || h.buffersLost > 0))
    facts.push(`Lost: ${h.eventsLost} events, ${h.buffersLost} buffers.`);
  if (trace.problems.count > 0)
    facts.push(
      `${trace.problems.count} problem(s) while reading the trace (bad buffers or records skipped).`,
    );

  return {
    file: i.path,
    size: trace.src.size,
    header: h
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
      : null,
    buffers: trace.buffers.length,
    compressedBuffers: trace.buffers.filter((b) => b.compressed).length,
    badBuffers: trace.problems.items.filter((p) => p.code.includes('buffer') || p.code === 'bad_compression')
      .length,
    events: i.events,
    durationMs,
    firstEventMs: rel(i.firstTicks),
    lastEventMs: rel(i.lastTicks),
    providers: [...providers.values()].sort((a, b) => b.events - a.events),
    types,
    hasKernel: kernel.hasKernel,
    focusProcess: focus ? { pid: focus.pid, name: focus.name, why: focusWhy } : null,
    processes,
    topThreadsByCpu: byCpu.map(threadStat),
    topThreadsByWait: byWait.map(threadStat),
    topModules,
    totalSamples: kernel.totalSamples,
    io: {
      diskReads: io.diskReads,
      diskWrites: io.diskWrites,
      diskReadBytes: io.diskReadBytes,
      diskWriteBytes: io.diskWriteBytes,
      diskTimeMs: round(ms(io.diskTicks)),
      fileCreates: io.fileCreates,
      fileReads: io.fileReads,
      fileWrites: io.fileWrites,
      fileReadBytes: io.fileReadBytes,
      fileWriteBytes: io.fileWriteBytes,
      hardFaults: io.hardFaults,
      hardFaultBytes: io.hardFaultBytes,
      topFiles,
    },
    mainThread,
    timeline,
    problems: trace.problems.items,
    problemCount: trace.problems.count,
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
