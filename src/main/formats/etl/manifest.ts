import { f, type EventSchema, type FieldSpec, type WireType } from './schema';
import type { EtlRecord } from './reader';

/**
 * Manifests that travel inside the trace. A .NET EventSource logs its own instrumentation
 * manifest as ManifestData events (id 0xFFFE, opcode 0xFE): an 8-byte envelope (format,
 * major, minor, magic 0x5B, u16 chunk count, u16 chunk number) then a chunk of UTF-8 XML.
 * Once every chunk of a provider arrived, its <event>/<template> elements become schemas.
 */
export const MANIFEST_EVENT_ID = 0xfffe;
export const MANIFEST_OPCODE = 0xfe;
const MAGIC = 0x5b;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CHUNKS = 1024;

export interface ManifestEvent {
  name: string;
  schema: EventSchema;
}

interface Pending {
  total: number;
  chunks: Map<number, Buffer>;
  bytes: number;
}

const IN_TYPES: Record<string, WireType> = {
  'win:UnicodeString': 'wstr',
  'win:AnsiString': 'astr',
  'win:Int8': 'i8',
  'win:UInt8': 'u8',
  'win:Int16': 'i16',
  'win:UInt16': 'u16',
  'win:Int32': 'i32',
  'win:UInt32': 'u32',
  'win:Int64': 'i64',
  'win:UInt64': 'u64',
  'win:Float': 'f32',
  'win:Double': 'f64',
  'win:Boolean': 'bool32',
  'win:GUID': 'guid',
  'win:Pointer': 'ptr',
  'win:FILETIME': 'filetime',
  'win:HexInt32': 'x32',
  'win:HexInt64': 'x64',
  'win:Binary': 'bytes',
};

const STANDARD_OPCODES: Record<string, string> = {
  'win:Info': '',
  'win:Start': 'Start',
  'win:Stop': 'Stop',
  'win:DC_Start': 'DCStart',
  'win:DC_Stop': 'DCStop',
  'win:Extension': 'Extension',
  'win:Reply': 'Reply',
  'win:Resume': 'Resume',
  'win:Suspend': 'Suspend',
  'win:Send': 'Send',
  'win:Receive': 'Receive',
};

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
}

interface Tag {
  name: string;
  attrs: Record<string, string>;
  close: boolean;
  selfClose: boolean;
}

/** The tags of an XML text, in order (enough for the manifests EventSource writes). */
function* tags(xml: string): Generator<Tag> {
  const re = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>/g;
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = unescape(a[2]!);
    yield { name: m[2]!, attrs, close: m[1] === '/', selfClose: m[4] === '/' };
  }
}

export interface ParsedManifest {
  providerName: string;
  providerGuid: string;
  events: Map<string, ManifestEvent>;
}

/** Parses an instrumentation manifest into event schemas keyed by "id:version". */
export function parseManifest(xml: string): ParsedManifest | null {
  let providerName = '';
  let providerGuid = '';
  const tasks = new Map<string, string>();
  const opcodes = new Map<string, string>();
  const templates = new Map<string, FieldSpec[]>();
  const maps = new Map<string, Record<number, string>>();
  const strings = new Map<string, string>();
  const rawEvents: Record<string, string>[] = [];
  let template: FieldSpec[] | null = null;
  let map: Record<number, string> | null = null;
  for (const t of tags(xml)) {
    if (t.close) {
      if (t.name === 'template') template = null;
      if (t.name === 'valueMap' || t.name === 'bitMap') map = null;
      continue;
    }
    const a = t.attrs;
    switch (t.name) {
      case 'provider':
        providerName = a.name ?? providerName;
        providerGuid = (a.guid ?? '').replace(/[{}]/g, '').toLowerCase();
        break;
      case 'task':
        if (a.name) tasks.set(a.name, a.name);
        break;
      case 'opcode':
        if (a.name) opcodes.set(a.name, a.name);
        break;
      case 'event':
        rawEvents.push(a);
        break;
      case 'template':
        if (a.tid && !t.selfClose) templates.set(a.tid, (template = []));
        else if (a.tid) templates.set(a.tid, []);
        break;
      case 'data':
        if (template && a.name && a.inType) {
          const type = IN_TYPES[a.inType];
          if (!type) return null;
          const spec = f(a.name, type);
          if (a.length && !/^\d+$/.test(a.length)) spec.countFrom = a.length;
          else if (type === 'bytes') spec.fixedLength = Number(a.length ?? 0);
          if (a.count && !/^\d+$/.test(a.count)) spec.countFrom = a.count;
          if (a.map) spec.mapName = a.map;
          template.push(spec);
        }
        break;
      case 'valueMap':
      case 'bitMap':
        if (a.name) maps.set(a.name, (map = {}));
        break;
      case 'map':
        if (map && a.value !== undefined) map[Number(a.value)] = a.message ?? '';
        break;
      case 'string':
        if (a.id) strings.set(a.id, a.value ?? '');
        break;
    }
  }
  if (!providerName) return null;
  const resolve = (msg: string) => {
    const m = /^\$\(string\.(.+)\)$/.exec(msg);
    return m ? (strings.get(m[1]!) ?? msg) : msg;
  };
  const events = new Map<string, ManifestEvent>();
  for (const e of rawEvents) {
    if (e.value === undefined) continue;
    const task = e.task ?? '';
    const opcode = e.opcode ? (STANDARD_OPCODES[e.opcode] ?? e.opcode) : '';
    const name = task ? (opcode ? `${task}/${opcode}` : task) : (e.symbol ?? `EventID(${e.value})`);
    const fields = (e.template ? templates.get(e.template) : []) ?? [];
    for (const spec of fields) {
      const m = spec.mapName ? maps.get(spec.mapName) : undefined;
      if (m) spec.map = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, resolve(v)]));
    }
    events.set(`${Number(e.value)}:${Number(e.version ?? 0)}`, {
      name,
      schema: { task, opcode, versions: { 0: fields } },
    });
  }
  return { providerName, providerGuid, events };
}

/** Collects ManifestData chunks per provider and serves the schemas they describe. */
export class ManifestRegistry {
  private readonly pending = new Map<string, Pending>();
  private readonly manifests = new Map<string, ParsedManifest>();

  static isManifestRecord(rec: EtlRecord): boolean {
    return rec.kind === 'event' && rec.id === MANIFEST_EVENT_ID && rec.opcode === MANIFEST_OPCODE;
  }

  /** Takes one ManifestData record; returns true when it completed a manifest. */
  feed(rec: EtlRecord): boolean {
    if (!ManifestRegistry.isManifestRecord(rec)) return false;
    const b = rec.data;
    const p = rec.payloadOffset;
    if (rec.payloadEnd - p < 8 || b[p + 3] !== MAGIC) return false;
    const total = b.readUInt16LE(p + 4);
    const chunk = b.readUInt16LE(p + 6);
    if (total === 0 || total > MAX_CHUNKS || chunk >= total) return false;
    let pend = this.pending.get(rec.provider);
    if (!pend || pend.total !== total || chunk === 0) {
      pend = { total, chunks: new Map(), bytes: 0 };
      this.pending.set(rec.provider, pend);
    }
    const body = Buffer.from(b.subarray(p + 8, rec.payloadEnd));
    if (pend.bytes + body.length > MAX_MANIFEST_BYTES) {
      this.pending.delete(rec.provider);
      return false;
    }
    if (!pend.chunks.has(chunk)) pend.bytes += body.length;
    pend.chunks.set(chunk, body);
    if (pend.chunks.size < total) return false;
    const xml = Buffer.concat([...Array(total).keys()].map((i) => pend.chunks.get(i)!)).toString('utf8');
    this.pending.delete(rec.provider);
    const parsed = parseManifest(xml);
    if (!parsed) return false;
    this.manifests.set(rec.provider, parsed);
    return true;
  }

  providerName(guid: string): string | null {
    return this.manifests.get(guid)?.providerName ?? null;
  }

  event(guid: string, id: number, version: number): ManifestEvent | null {
    const m = this.manifests.get(guid);
    if (!m) return null;
    return m.events.get(`${id}:${version}`) ?? m.events.get(`${id}:0`) ?? null;
  }

  get size(): number {
    return this.manifests.size;
  }
}
