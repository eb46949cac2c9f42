import type { TimelineLevel } from '../../../../shared/domain/timeline';
import type { ByteSource } from '../../../formats/common/byte-source';
import { EventCatalog } from '../../../formats/etl/catalog';
import { MergedReader } from '../../../formats/etl/merge';
import { openEtl, type EtlRecord, type EtlTrace } from '../../../formats/etl/reader';
import { KernelGroup } from '../../../formats/etl/schemas/kernel';
import { filetimeToUnixMs } from '../clock';
import { Nearest, type DraftEvent } from '../sink';
import type { Collected, CollectOptions } from './textlog';
import type { TimelineArtifact } from './small';
import { fileNameOf as baseName } from '../../../../shared/text';

/**
 * An ETW trace on the timeline. Its clock is the trace's own (QPC ticks, system time or CPU
 * cycles): the TRACE_LOGFILE_HEADER pairs StartTime (a UTC FILETIME) with the header event's
 * timestamp, so an event's FILETIME is StartTime + (ticks − headerTicks) × 10^7 / ticksPerSecond.
 * The local wall clock then needs the zone offset the timeline chose.
 *
 * A whole trace is millions of context switches and samples; the timeline keeps what a player
 * can read: processes starting and ending, the game's threads and DLL loads, and events logged
 * at Critical or Error level by any provider (CLR exceptions, driver errors, TraceLogging
 * failures). Streamed in time order with bounded memory (the per-processor k-way merge).
 */

/** Game processes, when the incident does not name the pid. */
const GAME_EXE = /^(skyrimse|skyrimvr|skyrim|tesv|fallout4|fallout4vr|starfield)\.exe$/i;
/** Records per slice before yielding to the event loop. */
const SLICE = 200_000;

export interface EtwHeaderFacts {
  /** The trace's UTC start (Unix ms) and its zone bias (standard time only). */
  startUnixMs: number | null;
  biasMinutes: number | null;
  zoneName: string;
}

export function readEtwHeader(src: ByteSource): EtwHeaderFacts {
  const trace = openEtl(src);
  const h = trace.header;
  return {
    startUnixMs: h ? filetimeToUnixMs(h.startTimeFiletime) : null,
    biasMinutes: h ? h.timeZoneBias : null,
    zoneName: h?.timeZoneName ?? '',
  };
}

interface Kept {
  ms: number;
  kind: string;
  level: TimelineLevel;
  text: string;
  position: number;
}

export interface EtwOptions extends CollectOptions {
  /** UTC Unix ms to local wall ms (null: no zone known). */
  toWall: (unixMs: number) => number | null;
  /** The game's process id when another artifact names it. */
  focusPid: number | null;
}

function field(fields: { name: string; value: unknown }[], name: string): unknown {
  return fields.find((f) => f.name === name)?.value;
}

/**
 * Trace ticks to Unix ms (UTC): the header event's timestamp is the trace's StartTime FILETIME.
 * Null without a readable header.
 */
export function etwClock(trace: EtlTrace): ((ticks: number) => number) | null {
  const h = trace.header;
  const startUnix = h ? filetimeToUnixMs(h.startTimeFiletime) : null;
  if (startUnix === null) return null;
  const tps = trace.ticksPerSecond;
  const t0 = trace.startTicks;
  return (ticks) => startUnix + ((ticks - t0) * 1000) / tps;
}

export async function collectEtw(
  src: ByteSource,
  art: TimelineArtifact,
  opts: EtwOptions,
): Promise<Collected> {
  const trace: EtlTrace = openEtl(src);
  const h = trace.header;
  const unixOf = etwClock(trace);
  if (!h || !unixOf)
    return {
      drafts: [],
      seen: 0,
      note: 'the trace has no readable logfile header, so its clock cannot be dated',
      precision: '',
    };
  const tps = trace.ticksPerSecond;
  const t0 = trace.startTicks;
  const wallOf = (ticks: number): number | null => opts.toWall(unixOf(ticks));
  const catalog = new EventCatalog();
  const reader = new MergedReader(trace);
  reader.reset();
  const keep = new Nearest<Kept>(opts.cap, opts.center);
  const names = new Map<number, string>();
  let focus = opts.focusPid;
  const lastTicks = trace.buffers.reduce((m, b) => Math.max(m, b.timestamp), t0);
  const span = Math.max(1, lastTicks - t0);

  const push = (rec: EtlRecord, kind: string, level: TimelineLevel, text: () => string) => {
    const ms = wallOf(rec.timestamp);
    if (ms === null) return;
    if (!keep.wants(ms)) return keep.skip();
    keep.add(ms, { ms, kind, level, text: text(), position: rec.position });
  };

  const visit = (rec: EtlRecord) => {
    const g = rec.group;
    if (g === KernelGroup.Process && (rec.opcode === 1 || rec.opcode === 2 || rec.opcode === 3)) {
      const d = catalog.decode(rec);
      const pid = Number(field(d.fields, 'ProcessId'));
      const image = String(field(d.fields, 'ImageFileName') ?? '');
      if (Number.isFinite(pid) && image) names.set(pid, image);
      if (focus === null && GAME_EXE.test(baseName(image))) focus = pid;
      // Rundown (3 = DCStart) lists what was already running: names only, not events.
      if (rec.opcode === 3) return;
      const exit = rec.opcode === 2 ? Number(field(d.fields, 'ExitStatus')) : null;
      push(rec, rec.opcode === 1 ? 'process-start' : 'process-end', exit ? 'warning' : 'info', () =>
        rec.opcode === 1
          ? `${image || `process ${pid}`} started (pid ${pid})`
          : `${image || `process ${pid}`} ended (pid ${pid}${exit !== null ? `, exit code 0x${(exit >>> 0).toString(16)}` : ''})`,
      );
      return;
    }
    if (focus === null) {
      if (rec.kind === 'event' && rec.level > 0 && rec.level <= 2) errorEvent(rec);
      return;
    }
    if (g === KernelGroup.Thread && (rec.opcode === 1 || rec.opcode === 2)) {
      const p = rec.payloadOffset;
      if (rec.payloadEnd - p < 8) return;
      const pid = rec.data.readUInt32LE(p);
      if (pid !== focus) return;
      const tid = rec.data.readUInt32LE(p + 4);
      push(
        rec,
        rec.opcode === 1 ? 'thread-start' : 'thread-end',
        'info',
        () =>
          `${names.get(pid) ?? `process ${pid}`}: thread ${tid} ${rec.opcode === 1 ? 'started' : 'ended'}`,
      );
      return;
    }
    if (g === KernelGroup.Image && (rec.opcode === 10 || rec.opcode === 2)) {
      const d = catalog.decode(rec);
      if (Number(field(d.fields, 'ProcessId')) !== focus) return;
      const file = String(field(d.fields, 'FileName') ?? '');
      push(
        rec,
        rec.opcode === 10 ? 'module-load' : 'module-unload',
        'info',
        () => `${rec.opcode === 10 ? 'loaded' : 'unloaded'} ${baseName(file) || 'a module'}`,
      );
      return;
    }
    if (rec.kind === 'event' && rec.level > 0 && rec.level <= 2) errorEvent(rec);
  };
  const errorEvent = (rec: EtlRecord) => {
    const id = catalog.typeOf(rec);
    const t = id >= 0 ? catalog.info(id) : undefined;
    push(rec, 'etw-error', 'error', () => {
      const d = catalog.decode(rec);
      const detail = d.fields
        .slice(0, 4)
        .map((f) => `${f.name}=${typeof f.value === 'object' ? JSON.stringify(f.value) : String(f.value)}`)
        .join(' ')
        .slice(0, 240);
      return `${rec.level === 1 ? 'critical' : 'error'}: ${t ? `${t.provider}/${t.event}` : 'event'}${detail ? ` ${detail}` : ''}`;
    });
  };

  let left = 0;
  let lastTs = t0;
  for (;;) {
    left = SLICE;
    const finished = reader.run((rec) => {
      lastTs = rec.timestamp;
      visit(rec);
      return --left > 0;
    });
    opts.onBytes?.(Math.min(src.size, Math.round((src.size * (lastTs - t0)) / span)), src.size);
    if (finished) break;
    if (opts.signal?.aborted) break;
    await new Promise<void>((r) => setImmediate(r));
  }
  opts.onBytes?.(src.size, src.size);
  const lost = h.eventsLost + h.buffersLost;
  const drafts: DraftEvent[] = keep.values().map((k) => ({
    wallMs: k.ms,
    source: 'etw',
    kind: k.kind,
    level: k.level,
    text: k.text,
    precision: 'ms',
    ref: { artifactId: art.id, role: art.role, position: k.position },
  }));
  const clockName = h.clockType === 2 ? 'system time' : h.clockType === 3 ? 'CPU cycle counter' : 'QPC';
  return {
    drafts,
    seen: keep.seen,
    note: lost > 0 ? `the trace lost ${lost} events or buffers` : null,
    precision: `trace ${clockName} ticks (${Math.round(tps)}/s) from the header's StartTime FILETIME (UTC)`,
  };
}
