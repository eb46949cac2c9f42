import { statSync } from 'node:fs';
import type { EtwEventDetail, EtwEventRow, EtwSummary } from '../../../shared/domain/etw';
import { FileSource, type ByteSource } from '../../formats/common/byte-source';
import { EventCatalog } from '../../formats/etl/catalog';
import { describeExtItems } from '../../formats/etl/extended';
import { MergedReader } from '../../formats/etl/merge';
import { BUFFER_HEADER_SIZE } from '../../formats/etl/constants';
import { decodeRecordAt, EtlRecord, loadBuffer, openEtl, type EtlTrace } from '../../formats/etl/reader';
import { EventIndex, eventMatches, type EventFilter } from './event-index';
import { KernelModel } from './kernel-model';
import { buildSummary, SYSTEM_TRACE_CONTROL_GUID } from './summary';
import { IdleFileSource } from './idle-file-source';

const TIMELINE_BUCKETS = 120;
/** Events per slice of the asynchronous pass (a few milliseconds of work). */
const PASS_SLICE = 50_000;
/** The raw view shows at most this much of one record. */
const MAX_RECORD_HEX = 65536;

export interface SessionOptions {
  /** Main thread id when another artifact (WCT, dump, manifest) names it. */
  mainThreadId?: number | null;
  /** The game's process id when the capture names it (it wins over name-based detection). */
  focusPid?: number | null;
}

/**
 * One opened trace: a single time-ordered pass builds the summary and the page index; pages
 * and single events are then read on demand through the same file handle.
 */
export class EtlSession {
  readonly trace: EtlTrace;
  readonly catalog = new EventCatalog();
  readonly index = new EventIndex();
  summary!: EtwSummary;
  /** Bytes of trace read by the summary pass (for the benchmark). */
  bytesRead = 0;
  private readonly pager: MergedReader;

  private constructor(
    readonly path: string,
    src: ByteSource,
  ) {
    this.trace = openEtl(src);
    this.pager = new MergedReader(this.trace);
  }

  static open(path: string, opts: SessionOptions = {}): EtlSession {
    const src = new FileSource(path);
    try {
      return EtlSession.fromSource(src, opts);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  static fromSource(src: ByteSource, opts: SessionOptions = {}): EtlSession {
    const s = new EtlSession(src.name, src);
    const pass = s.startPass(opts);
    while (!pass.step(Number.POSITIVE_INFINITY));
    return s;
  }

  /**
   * The same pass in slices, yielding to the event loop between them: a multi-GB trace must
   * not stall the main process (IPC, other windows) while it is summarised.
   */
  static async fromSourceAsync(src: ByteSource, opts: SessionOptions = {}): Promise<EtlSession> {
    const s = new EtlSession(src.name, src);
    const pass = s.startPass(opts);
    while (!pass.step(PASS_SLICE)) await new Promise<void>((r) => setImmediate(r));
    return s;
  }

  static async openAsync(path: string, opts: SessionOptions = {}): Promise<EtlSession> {
    const src = new FileSource(path);
    try {
      return await EtlSession.fromSourceAsync(src, opts);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  close(): void {
    this.trace.src.close();
  }

  /** The summary pass; `step(n)` reads about n events and returns true once the summary is built. */
  private startPass(opts: SessionOptions): { step(budget: number): boolean } {
    const trace = this.trace;
    const last = trace.buffers.reduce((m, b) => Math.max(m, b.timestamp), trace.startTicks);
    const kernel = new KernelModel({
      ticksPerSecond: trace.ticksPerSecond,
      startTicks: trace.startTicks,
      endTicks: Math.max(last, trace.startTicks + 1),
      buckets: TIMELINE_BUCKETS,
    });
    const eventSeries = new Float64Array(TIMELINE_BUCKETS);
    const reader = new MergedReader(trace);
    reader.reset();
    let first = Number.POSITIVE_INFINITY;
    let lastTs = Number.NEGATIVE_INFINITY;
    let left = 0;
    const { catalog, index } = this;
    const visit = (rec: EtlRecord): boolean => {
      const typeId = catalog.count(rec);
      if (typeId >= 0) {
        index.add(reader, typeId, rec.pid);
        kernel.add(rec);
        const ts = rec.timestamp;
        if (ts > 0) {
          if (ts < first) first = ts;
          if (ts > lastTs) lastTs = ts;
          eventSeries[kernel.bucketOf(ts)]!++;
        }
      }
      return --left > 0;
    };
    const finish = () => {
      index.seal();
      catalog.refreshProviderNames();
      if (!Number.isFinite(first)) first = lastTs = trace.startTicks;
      kernel.finish(lastTs);
      this.bytesRead = trace.buffers.reduce((s, b) => s + b.fileSize, 0);
      this.summary = buildSummary({
        path: this.path,
        trace,
        catalog,
        kernel,
        events: index.total,
        firstTicks: Math.min(first, trace.startTicks),
        lastTicks: lastTs,
        bucketCount: TIMELINE_BUCKETS,
        eventSeries,
        mainThreadId: opts.mainThreadId ?? null,
        focusPid: opts.focusPid ?? null,
      });
    };
    return {
      step(budget: number): boolean {
        left = budget;
        if (!reader.run(visit)) return false;
        finish();
        return true;
      },
    };
  }

  /** Type ids matching a provider (GUID or name) and/or an event name. */
  typeIdsFor(provider: string | null, event: string | null): Set<number> | null {
    if (!provider && !event) return null;
    const p = provider?.toLowerCase() ?? null;
    const e = event?.toLowerCase() ?? null;
    return new Set(
      this.catalog.types
        .filter(
          (t) =>
            (!p ||
              t.provider.toLowerCase() === p ||
              t.providerGuid === p ||
              (p === SYSTEM_TRACE_CONTROL_GUID && t.provider === 'Windows Kernel')) &&
            (!e || t.event.toLowerCase() === e || `${t.provider}/${t.event}`.toLowerCase() === e),
        )
        .map((t) => t.typeId),
    );
  }

  private ms(ticks: number): number {
    return Math.round(((ticks - this.trace.startTicks) * 1e6) / this.trace.ticksPerSecond) / 1000;
  }

  private row(rec: EtlRecord, typeId: number): EtwEventRow {
    const t = this.catalog.info(typeId)!;
    return {
      position: rec.position,
      timeMs: this.ms(rec.timestamp),
      provider: t.provider,
      event: t.event,
      typeId,
      pid: rec.pid,
      tid: rec.tid,
      cpu: rec.cpu,
      payloadLength: rec.payloadLength,
    };
  }

  /** `limit` events from match number `offset` in time order. */
  page(filter: EventFilter, offset: number, limit: number): { total: number; rows: EtwEventRow[] } {
    const perBlock = this.index.blockMatches(filter);
    const total = perBlock.reduce((s, n) => s + n, 0);
    const rows: EtwEventRow[] = [];
    if (offset >= total || limit <= 0) return { total, rows };
    let skipped = 0;
    let block = 0;
    while (block < perBlock.length && skipped + perBlock[block]! <= offset) skipped += perBlock[block++]!;
    if (block >= this.index.checkpoints.length) return { total, rows };
    this.pager.restore(this.index.checkpoints[block]!);
    let toSkip = offset - skipped;
    this.pager.run((rec) => {
      const typeId = this.catalog.typeOf(rec);
      if (typeId < 0 || !eventMatches(typeId, rec.pid, filter)) return true;
      if (toSkip > 0) {
        toSkip--;
        return true;
      }
      rows.push(this.row(rec, typeId));
      return rows.length < limit;
    });
    return { total, rows };
  }

  /** Full decode of the event at `position` (from a page row). */
  event(position: number): EtwEventDetail | null {
    const bufferIndex = Math.floor(position / 0x100000000);
    const offset = position - bufferIndex * 0x100000000;
    const buf = this.trace.buffers[bufferIndex];
    if (!buf || offset < BUFFER_HEADER_SIZE || offset >= buf.dataEnd) return null;
    const data = loadBuffer(this.trace, buf);
    if (!data) return null;
    const rec = new EtlRecord();
    const r = decodeRecordAt(data, offset, Math.min(data.length, buf.dataEnd), rec);
    if (typeof r === 'string') return null;
    rec.cpu = buf.processor;
    rec.bufferIndex = buf.index;
    const typeId = this.catalog.typeOf(rec);
    if (typeId < 0) return null;
    const d = this.catalog.decode(rec);
    const shown = Math.min(rec.size, MAX_RECORD_HEX);
    const notes = [...d.notes];
    if (shown < rec.size) notes.push(`record shown up to ${shown} of ${rec.size} bytes`);
    return {
      ...this.row(rec, typeId),
      providerGuid: rec.provider,
      headerKind: rec.kind,
      id: rec.id,
      version: rec.version,
      opcode: rec.opcode,
      level: rec.level,
      task: rec.task,
      channel: rec.channel,
      keyword: rec.keywordHex(),
      activityId: rec.activityId(),
      decodedBy: d.decodedBy,
      fields: d.fields,
      extended: rec.kind === 'event' ? describeExtItems(rec) : [],
      recordHex: data.toString('hex', offset, offset + shown),
      payloadStart: rec.payloadOffset - offset,
      notes,
    };
  }
}

/** A small cache of open sessions keyed by path + size + mtime (files are the truth). */
export class SessionCache {
  private readonly map = new Map<string, EtlSession>();
  /** Passes under way, so two requests for one trace share one pass. */
  private readonly opening = new Map<string, Promise<EtlSession>>();
  constructor(private readonly capacity = 3) {}

  /**
   * Any open session of this file as it is now, whatever hints it was opened with: pages and
   * single events do not depend on them, so the hints (which read other files) are only
   * worked out when the trace has to be opened.
   */
  async getAny(path: string, hints: () => SessionOptions): Promise<EtlSession> {
    const st = statSync(path);
    const file = `${path}|${st.size}|${st.mtimeMs}|`;
    for (const [k, s] of this.map)
      if (k.startsWith(file)) {
        // Most recently used last, as get() keeps it.
        this.map.delete(k);
        this.map.set(k, s);
        return s;
      }
    return this.get(path, hints());
  }

  async get(path: string, opts: SessionOptions = {}): Promise<EtlSession> {
    const st = statSync(path);
    const key = `${path}|${st.size}|${st.mtimeMs}|${opts.mainThreadId ?? ''}|${opts.focusPid ?? ''}`;
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    for (const [k, s] of this.map)
      if (k.startsWith(`${path}|`)) {
        s.close();
        this.map.delete(k);
      }
    const pending = this.opening.get(key);
    if (pending) return pending;
    const src = new IdleFileSource(path);
    const opening = EtlSession.fromSourceAsync(src, opts).catch((e: unknown) => {
      src.close();
      throw e;
    });
    this.opening.set(key, opening);
    let s: EtlSession;
    try {
      s = await opening;
    } finally {
      this.opening.delete(key);
    }
    this.map.set(key, s);
    while (this.map.size > this.capacity) {
      const [k, old] = this.map.entries().next().value as [string, EtlSession];
      old.close();
      this.map.delete(k);
    }
    return s;
  }

  clear(): void {
    for (const s of this.map.values()) s.close();
    this.map.clear();
  }
}
