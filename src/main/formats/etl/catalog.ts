import type { EtwDecodedBy, EtwField, EtwValue } from '../../../shared/domain/etw';
import { ParseError } from '../common/parse-error';
import { EventHeaderFlag, ExtType } from './constants';
import { findExtItem, providerNameFromTraits } from './extended';
import { decodeLogfileHeader, isEtlHeaderRecord, type EtlRecord } from './reader';
import { MANIFEST_EVENT_ID, ManifestRegistry } from './manifest';
import { decodeWithSchema, type EventSchema } from './schema';
import { CLR_EVENTS, CLR_PROVIDER, CLR_RUNDOWN_EVENTS, CLR_RUNDOWN_PROVIDER } from './schemas/clr';
import { GROUP_NAMES, KERNEL_EVENTS, KERNEL_OPCODE_NAMES } from './schemas/kernel';
import { decodeTlPayload, parseTlSchema, PayloadCursor, type TlSchema } from './tracelogging';

/** Providers whose GUID alone names them (no traits, no manifest in the trace). */
export const KNOWN_PROVIDERS: Record<string, string> = {
  [CLR_PROVIDER]: 'Microsoft-Windows-DotNETRuntime',
  [CLR_RUNDOWN_PROVIDER]: 'Microsoft-Windows-DotNETRuntimeRundown',
  '763fd754-7086-4dfe-95eb-c01a46faf4ca': 'Microsoft-Windows-DotNETRuntimePrivate',
  '22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716': 'Microsoft-Windows-Kernel-Process',
  'edd08927-9cc4-4e65-b970-c2560fb5c289': 'Microsoft-Windows-Kernel-File',
  'c7bde69a-e1e0-4177-b6ef-283ad1525271': 'Microsoft-Windows-Kernel-Disk',
  'a68ca8b7-004f-d7b6-a698-07e2de0f1f5d': 'Microsoft-Windows-Kernel-General',
  '802ec45a-1e99-4b83-9920-87c98277ba9d': 'Microsoft-Windows-DxgKrnl',
  'ca11c036-0102-4a2d-a6ad-f03cfed5d3c9': 'Microsoft-Windows-DXGI',
  'db6f6ddb-ac77-4e88-8253-819df9bbf140': 'Microsoft-Windows-Direct3D11',
  '5d8087dd-3a9b-4f56-90df-49196cdc4f11': 'Microsoft-Windows-Direct3D12',
  '8c416c79-d49b-4f01-a467-e56d3aa8234c': 'Microsoft-Windows-Win32k',
  'b3e675d7-2554-4f18-830b-2762732560de': 'KernelTraceControl',
  '9b79ee91-b5fd-41c0-a243-4248e266e9d0': 'Windows Kernel',
  'ed54dff8-c409-4cf6-bf83-05e1e61a09c4': 'KernelTraceControl',
  'b675ec37-bdb6-4648-bc92-f3fdc74d3ca2': 'Microsoft-Windows-Kernel-EventTracing',
  '2a576b87-09a7-520e-c21a-4942f0271d67': 'Microsoft-Antimalware-Scan-Interface',
  '36b6f488-aad7-48c2-afe3-d4ec2c8b46fa': 'Microsoft-Windows-WER-Diag',
  '9988748e-c2e8-4054-85f6-0c3e1cad2470': 'Microsoft-Windows-WER-SystemErrorReporting',
};

const KERNEL_PROVIDER_NAME = 'Windows Kernel';

/**
 * Classic (MOF) event classes written by the kernel logger's rundown and by xperf/WPR's
 * KernelTraceControl, keyed by class GUID: provider, task and opcode names as PerfView shows them.
 * An opcode not listed keeps the task name ("SysConfig/Opcode(37)").
 */
const CLASSIC_EVENTS: Record<string, { provider: string; task: string; opcodes: Record<number, string> }> = {
  '9b79ee91-b5fd-41c0-a243-4248e266e9d0': {
    provider: KERNEL_PROVIDER_NAME,
    task: 'SysConfig',
    opcodes: { 32: 'BuildInfo', 33: 'SystemPaths', 34: 'UnknownVolume', 35: 'VolumeMapping' },
  },
  'ed54dff8-c409-4cf6-bf83-05e1e61a09c4': {
    provider: 'KernelTraceControl',
    task: 'WinSat',
    opcodes: { 33: 'WinSPR', 35: 'Metrics', 37: 'SystemConfig' },
  },
};

/** The CLR's two manifest providers whose manifests are not in traces: our own layout tables. */
const CLR_TABLES: Record<string, Record<number, EventSchema>> = {
  [CLR_PROVIDER]: CLR_EVENTS,
  [CLR_RUNDOWN_PROVIDER]: CLR_RUNDOWN_EVENTS,
};
const OPCODE_NAMES: Record<number, string> = {
  1: 'Start',
  2: 'Stop',
  3: 'DCStart',
  4: 'DCEnd',
  9: 'Extension',
  10: 'Reply',
  11: 'Resume',
  12: 'Suspend',
  240: 'Send',
  241: 'Receive',
};

export type TypeKind = 'header' | 'kernel' | 'clr' | 'tracelogging' | 'manifest' | 'mof' | 'message';

export interface EventTypeInfo {
  typeId: number;
  provider: string;
  providerGuid: string;
  event: string;
  kind: TypeKind;
  count: number;
  payloadBytes: number;
  /** Kernel group/opcode (classic records) for the analysis. */
  hookId: number;
}

interface TlEntry {
  schema: TlSchema | null;
  error: string | null;
}

/** What decodeRecord learned about one event's payload. */
export interface DecodedPayload {
  decodedBy: EtwDecodedBy;
  fields: EtwField[];
  notes: string[];
}

/** Header-group records ProcessTrace consumes itself (never delivered to consumers). */
function isInternalRecord(rec: EtlRecord): boolean {
  return (rec.kind === 'system' || rec.kind === 'compact') && rec.group === 0 && rec.opcode === 80;
}

/**
 * Names events and assigns each distinct event type a small id, counting as it goes. One
 * catalog per trace: TraceLogging schemas are cached by their exact bytes.
 */
export class EventCatalog {
  readonly types: EventTypeInfo[] = [];
  /** Records skipped as logger-internal (see isInternalRecord). */
  internalRecords = 0;
  /** Per kernel group: type ids by opcode (and perfinfo/system header kind), allocated on first use. */
  private readonly kernelIds: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(256);
  private readonly byKey = new Map<string, number>();
  private readonly tl = new Map<string, TlEntry>();
  private readonly learnedNames = new Map<string, string>();
  /** EventSource manifests found in the trace (ManifestData events), fed in time order. */
  readonly manifests = new ManifestRegistry();

  /** Type id of `rec`, counting it; -1 for logger-internal records. */
  count(rec: EtlRecord): number {
    if (rec.kind === 'event' && rec.id === MANIFEST_EVENT_ID && this.manifests.feed(rec)) {
      // Only the counting pass feeds manifests (pages re-read records). Types named before
      // their manifest arrived keep their EventID names; later ones use it.
      const name = this.manifests.providerName(rec.provider);
      if (name && !this.learnedNames.has(rec.provider)) this.learnedNames.set(rec.provider, name);
    }
    const id = this.typeOf(rec);
    if (id >= 0) {
      const t = this.types[id]!;
      t.count++;
      t.payloadBytes += rec.payloadEnd - rec.payloadOffset;
    }
    return id;
  }

  /** Kernel and system records: two array reads, no strings (they dominate big traces). */
  private kernelTypeId(rec: EtlRecord): number {
    const ids = this.kernelIds[rec.group] ?? (this.kernelIds[rec.group] = new Int32Array(512).fill(-1));
    const slot = (rec.kind === 'perfinfo' ? 256 : 0) + rec.opcode;
    const known = ids[slot]!;
    if (known >= 0) return known;
    return (ids[slot] = this.kernelType(rec));
  }

  typeOf(rec: EtlRecord): number {
    if (rec.group > 0) return this.kernelTypeId(rec);
    if (rec.group >= 0) {
      if (isInternalRecord(rec)) {
        this.internalRecords++;
        return -1;
      }
      return this.kernelTypeId(rec);
    }
    if (rec.kind === 'event') {
      const tlItem = rec.extEnd > rec.extOffset ? findExtItem(rec, ExtType.EventSchemaTl) : null;
      if (tlItem) {
        const entry = this.tlSchema(rec, tlItem.offset, tlItem.size);
        const providerName = this.providerName(rec);
        const name = entry.schema ? entry.schema.name : 'TraceLogging(unreadable schema)';
        const event = rec.opcode && OPCODE_NAMES[rec.opcode] ? `${name}/${OPCODE_NAMES[rec.opcode]}` : name;
        return this.keyed(`${rec.provider}|tl|${event}`, () => ({
          provider: providerName,
          providerGuid: rec.provider,
          event,
          kind: 'tracelogging',
          hookId: -1,
        }));
      }
      const key = `${rec.provider}|${rec.id}|${rec.opcode}`;
      const found = this.byKey.get(key);
      if (found !== undefined) return found;
      return this.keyed(key, () => this.manifestType(rec));
    }
    if (rec.kind === 'full' || rec.kind === 'instance') {
      const key = `${rec.provider}|mof|${rec.opcode}`;
      const classic = CLASSIC_EVENTS[rec.provider];
      const op = `Opcode(${rec.opcode})`;
      return this.keyed(key, () => ({
        provider: classic?.provider ?? this.providerName(rec),
        providerGuid: rec.provider,
        event: classic ? `${classic.task}/${classic.opcodes[rec.opcode] ?? op}` : op,
        kind: 'mof',
        hookId: -1,
      }));
    }
    return this.keyed(`${rec.provider}|msg|${rec.id}`, () => ({
      provider: rec.provider ? this.providerName(rec) : 'WPP',
      providerGuid: rec.provider,
      event: `Message(${rec.id})`,
      kind: 'message',
      hookId: -1,
    }));
  }

  /** After the pass: types first seen before their provider's name was known get the name. */
  refreshProviderNames(): void {
    for (const t of this.types) {
      const name = this.learnedNames.get(t.providerGuid);
      if (name && t.provider === t.providerGuid) t.provider = name;
    }
  }

  info(typeId: number): EventTypeInfo | undefined {
    return this.types[typeId];
  }

  private keyed(key: string, make: () => Omit<EventTypeInfo, 'typeId' | 'count' | 'payloadBytes'>): number {
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const typeId = this.types.length;
    this.types.push({ typeId, count: 0, payloadBytes: 0, ...make() });
    this.byKey.set(key, typeId);
    return typeId;
  }

  private kernelType(rec: EtlRecord): number {
    const hook = rec.group * 256 + rec.opcode;
    const key = `${rec.provider}|k|${hook}|${rec.kind === 'perfinfo' ? 'p' : 's'}`;
    return this.keyed(key, () => {
      if (isEtlHeaderRecord(rec))
        return {
          provider: KERNEL_PROVIDER_NAME,
          providerGuid: rec.provider,
          event: 'EventTrace',
          kind: 'header',
          hookId: hook,
        };
      const s = KERNEL_EVENTS[hook];
      const group = GROUP_NAMES[rec.group] ?? `Group(0x${rec.group.toString(16)})`;
      const op = s ? s.opcode : (KERNEL_OPCODE_NAMES[hook] ?? `Opcode(${rec.opcode})`);
      return {
        provider: KERNEL_PROVIDER_NAME,
        providerGuid: rec.provider,
        event: s ? `${s.task}/${op}` : `${group}/${op}`,
        kind: 'kernel',
        hookId: hook,
      };
    });
  }

  private manifestType(rec: EtlRecord): Omit<EventTypeInfo, 'typeId' | 'count' | 'payloadBytes'> {
    const clr = CLR_TABLES[rec.provider]?.[rec.id];
    if (clr)
      return {
        provider: KNOWN_PROVIDERS[rec.provider]!,
        providerGuid: rec.provider,
        event: `${clr.task}/${clr.opcode}`,
        kind: 'clr',
        hookId: -1,
      };
    const classic = (rec.eventFlags & EventHeaderFlag.ClassicHeader) !== 0;
    const fromTrace = this.manifests.event(rec.provider, rec.id, rec.version);
    const manifestData = ManifestRegistry.isManifestRecord(rec);
    return {
      provider: this.providerName(rec),
      providerGuid: rec.provider,
      event:
        fromTrace?.name ??
        (manifestData ? 'ManifestData' : classic ? `Opcode(${rec.opcode})` : `EventID(${rec.id})`),
      kind: 'manifest',
      hookId: -1,
    };
  }

  /** Provider name: TraceLogging traits, then the table of known GUIDs, then the GUID. */
  providerName(rec: EtlRecord): string {
    if (rec.kind === 'event' && rec.extEnd > rec.extOffset) {
      const traits = findExtItem(rec, ExtType.ProvTraits);
      if (traits) {
        const name = providerNameFromTraits(rec.data, traits);
        if (name) {
          if (!this.learnedNames.has(rec.provider)) this.learnedNames.set(rec.provider, name);
          return name;
        }
      }
    }
    return this.learnedNames.get(rec.provider) ?? KNOWN_PROVIDERS[rec.provider] ?? rec.provider;
  }

  tlSchema(rec: EtlRecord, off: number, size: number): TlEntry {
    const key = rec.data.toString('latin1', off, off + size);
    let e = this.tl.get(key);
    if (!e) {
      try {
        e = { schema: parseTlSchema(rec.data, off, off + size), error: null };
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        e = { schema: null, error: err.message };
      }
      if (this.tl.size > 10_000) this.tl.clear();
      this.tl.set(key, e);
    }
    return e;
  }

  /** Field-level decode for the raw view, the CLI and the agreement tests. */
  decode(rec: EtlRecord): DecodedPayload {
    const notes: string[] = [];
    const ptr =
      rec.kind === 'event' && rec.eventFlags & EventHeaderFlag.Header32Bit
        ? 4
        : rec.kind === 'event' && rec.eventFlags & EventHeaderFlag.Header64Bit
          ? 8
          : rec.pointerSize;
    const withSchema = (schema: EventSchema, by: EtwDecodedBy): DecodedPayload => {
      const r = decodeWithSchema(schema, rec.version, rec.data, rec.payloadOffset, rec.payloadEnd, ptr);
      if (r.error) notes.push(r.error);
      if (r.extraBytes > 0)
        notes.push(`${r.extraBytes} payload bytes beyond the known layout (newer event version?)`);
      return { decodedBy: by, fields: r.fields, notes };
    };
    if (rec.group >= 0) {
      if (isEtlHeaderRecord(rec)) {
        try {
          return { decodedBy: 'header', fields: headerFields(rec), notes };
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          notes.push(e.message);
          return { decodedBy: 'raw', fields: [], notes };
        }
      }
      const s = KERNEL_EVENTS[rec.group * 256 + rec.opcode];
      if (s) return withSchema(s, 'kernel');
      notes.push('no layout known for this kernel event');
      return { decodedBy: 'raw', fields: [], notes };
    }
    if (rec.kind === 'event') {
      const tlItem = rec.extEnd > rec.extOffset ? findExtItem(rec, ExtType.EventSchemaTl) : null;
      if (tlItem) {
        const entry = this.tlSchema(rec, tlItem.offset, tlItem.size);
        if (!entry.schema) {
          notes.push(`TraceLogging schema unreadable: ${entry.error ?? ''}`);
          return { decodedBy: 'raw', fields: [], notes };
        }
        const c = new PayloadCursor(rec.data, rec.payloadOffset, rec.payloadEnd, ptr);
        try {
          const fields = decodeTlPayload(entry.schema, c);
          if (c.left > 0) notes.push(`${c.left} payload bytes beyond the schema`);
          return { decodedBy: 'tracelogging', fields, notes };
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          notes.push(e.message);
          return { decodedBy: 'raw', fields: [], notes };
        }
      }
      const clr = CLR_TABLES[rec.provider]?.[rec.id];
      if (clr) return withSchema(clr, 'builtin');
      const fromTrace = this.manifests.event(rec.provider, rec.id, rec.version);
      if (fromTrace) return withSchema(fromTrace.schema, 'manifest');
      if (ManifestRegistry.isManifestRecord(rec))
        notes.push('EventSource manifest chunk (XML) for this provider');
      else notes.push('schema not in the trace (manifest provider): payload kept raw');
    } else notes.push('no schema for this record kind: payload kept raw');
    return { decodedBy: 'raw', fields: [], notes };
  }
}

function headerFields(rec: EtlRecord): EtwField[] {
  const h = decodeLogfileHeader(rec);
  const u = (name: string, value: EtwValue, type = 'UINT32'): EtwField => ({ name, type, value });
  return [
    u('BufferSize', h.bufferSize),
    u('Version', h.version),
    u('ProviderVersion', h.providerVersion),
    u('NumberOfProcessors', h.numberOfProcessors),
    u('EndTime', h.endTime, 'FILETIME'),
    u('TimerResolution', h.timerResolution),
    u('MaxFileSize', h.maximumFileSizeMB),
    u('LogFileMode', h.logFileMode),
    u('BuffersWritten', h.buffersWritten),
    u('StartBuffers', h.startBuffers),
    u('PointerSize', h.pointerSize),
    u('EventsLost', h.eventsLost),
    u('CPUSpeed', h.cpuSpeedMHz),
    u('BootTime', h.bootTime, 'FILETIME'),
    u('PerfFreq', h.perfFreq, 'UINT64'),
    u('StartTime', h.startTime, 'FILETIME'),
    u('ReservedFlags', h.clockType),
    u('BuffersLost', h.buffersLost),
    u('SessionName', h.loggerName, 'UNICODESTRING'),
    u('LogFileName', h.logFileName, 'UNICODESTRING'),
    u('UtcOffsetMinutes', h.timeZoneBias, 'INT32'),
  ];
}
