import { readFileSync } from 'node:fs';
import type { EtwValue } from '../../../src/shared/domain/etw';
import { FileSource } from '../../../src/main/formats/common/byte-source';
import { EventCatalog } from '../../../src/main/formats/etl/catalog';
import { MergedReader } from '../../../src/main/formats/etl/merge';
import { openEtl, type EtlTrace } from '../../../src/main/formats/etl/reader';

/** One event as our reader sees it, flattened for comparison with reference tools. */
export interface OurEvent {
  name: string;
  timeMs: number;
  rawTimestamp: number;
  pid: number;
  tid: number;
  cpu: number;
  dataLen: number;
  fields: Map<string, EtwValue>;
  decodedBy: string;
}

export function readAllEvents(path: string): { trace: EtlTrace; events: OurEvent[]; catalog: EventCatalog } {
  const trace = openEtl(new FileSource(path));
  const catalog = new EventCatalog();
  const events: OurEvent[] = [];
  const m = new MergedReader(trace);
  m.reset();
  m.run((rec) => {
    const id = catalog.count(rec);
    if (id < 0) return;
    const t = catalog.info(id)!;
    const d = catalog.decode(rec);
    events.push({
      name: `${t.provider}/${t.event}`,
      timeMs: ((rec.timestamp - trace.startTicks) / trace.ticksPerSecond) * 1000,
      rawTimestamp: rec.timestamp,
      pid: rec.pid,
      tid: rec.tid,
      cpu: rec.cpu,
      dataLen: rec.payloadLength,
      fields: new Map(d.fields.map((f) => [f.name, f.value])),
      decodedBy: d.decodedBy,
    });
  });
  trace.src.close();
  return { trace, events, catalog };
}

/** A PerfView/TraceEvent `.baseline.txt` event line: "EVENT <ms>: <name> PID=..; TID=..; ...". */
export interface BaselineEvent {
  timeMs: number;
  name: string;
  header: Record<string, string>;
  fields: [string, string][];
}

const HEADER_KEYS = new Set(['PID', 'TID', 'PName', 'ProceNum', 'DataLen']);

export function parseBaseline(path: string): { events: BaselineEvent[]; counts: Map<string, number> } {
  const events: BaselineEvent[] = [];
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const ev = /^EVENT ([\d,.]+): (.+?) PID=(.*)$/.exec(line);
    if (ev) {
      const pairs = `PID=${ev[3]!}`
        .split('; ')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => {
          const eq = p.indexOf('=');
          return [p.slice(0, eq), p.slice(eq + 1)] as [string, string];
        });
      events.push({
        timeMs: Number(ev[1]!.replace(/,/g, '')),
        name: ev[2]!,
        header: Object.fromEntries(pairs.filter(([k]) => HEADER_KEYS.has(k))),
        fields: pairs.filter(([k]) => !HEADER_KEYS.has(k)),
      });
      continue;
    }
    const c = /^COUNT (.+):(\d+)$/.exec(line);
    if (c) counts.set(c[1]!, Number(c[2]));
  }
  return { events, counts };
}

/** Our value rendered the way TraceEvent prints it (before its 20-character truncation). */
function perfViewText(v: EtwValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null) return '';
  if (typeof v === 'string') {
    // ISO time (ours, UTC) -> "yy/MM/dd HH:mm:ss.fff" (the baseline machine ran in UTC).
    const iso = /^(\d{2})(\d{2})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})\.(\d+)Z?$/.exec(v);
    if (iso) return `${iso[2]}/${iso[3]}/${iso[4]} ${iso[5]}.${iso[6]}`;
    return v;
  }
  return JSON.stringify(v);
}

/**
 * Does our value agree with the baseline text? Numbers compare by value (thousands
 * separators and hex widths differ), "..." marks a prefix TraceEvent truncated.
 */
export function agrees(ours: EtwValue | undefined, theirs: string): boolean {
  if (ours === undefined) return false;
  if (theirs.endsWith('...')) return perfViewText(ours).startsWith(theirs.slice(0, -3));
  const num = theirs.replace(/,/g, '');
  if (/^-?\d+(\.\d+)?$/.test(num)) {
    if (typeof ours === 'number') return Math.abs(ours - Number(num)) < 1e-9;
    if (typeof ours === 'string' && /^-?\d+$/.test(ours)) return BigInt(ours) === BigInt(num);
    return false;
  }
  if (/^0x[0-9a-f]+$/i.test(theirs)) {
    if (typeof ours === 'string' && /^0x[0-9a-f]+$/i.test(ours)) return BigInt(ours) === BigInt(theirs);
    if (typeof ours === 'number') return BigInt(ours) === BigInt(theirs);
    return false;
  }
  return perfViewText(ours) === theirs;
}

/** etl-parser's etl2xml output: one <event> per TraceLogging event with its attributes. */
export interface XmlEvent {
  timestamp: number;
  pid: number;
  tid: number;
  name: string;
  attributes: Map<string, string>;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function parseEtl2Xml(path: string): XmlEvent[] {
  const text = readFileSync(path, 'utf8');
  const out: XmlEvent[] = [];
  const eventRe =
    /<event type="event" timestamp="(\d+)" PID="(\d+)" TID="(\d+)"><tracelogging name="([^"]*)">(.*?)<\/tracelogging><\/event>/gs;
  for (const m of text.matchAll(eventRe)) {
    const attributes = new Map<string, string>();
    for (const a of m[5]!.matchAll(/<attribute name="([^"]*)" value="([^"]*)" \/>/g))
      attributes.set(unescapeXml(a[1]!), unescapeXml(a[2]!));
    out.push({
      timestamp: Number(m[1]),
      pid: Number(m[2]),
      tid: Number(m[3]),
      name: unescapeXml(m[4]!),
      attributes,
    });
  }
  return out;
}
