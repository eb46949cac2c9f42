import { readFileSync } from 'node:fs';
import type { ArtifactRole } from '../../../../shared/domain/incident';
import { withFileSource } from '../../../formats/common/byte-source';
import { readDumpTimeZone, type DumpTimeZone } from '../../../formats/minidump/misc-timezone';
import { readMinidump } from '../../../formats/minidump/reader';
import { readWctFile } from '../../../formats/wct/parse-wct';
import { parseLineTimestamp } from '../../../formats/textlog/timestamps';
import { analyzeHang } from '../../hang/analyze-hang';
import { explainCrash } from '../../minidump/explain';
import { filetimeToUnixMs } from '../clock';
import { stripBom } from '../../../../shared/text';

/**
 * What the small artifacts of an incident say about time, read whole before anything is placed:
 * they decide the zone offset and the incident time, and anchor the relative clocks. Each reader
 * returns null for a file it cannot use (the Files tab shows parse errors; the timeline just
 * leaves the source out, saying why).
 */

export interface TimelineArtifact {
  id: number;
  role: ArtifactRole;
  path: string;
  name: string;
  size: number;
  /** Local wall clock the file's name carries (SkyrimDiag `<ts>`, crash-log names), ISO. */
  nameTime?: string | null;
}

const MAX_JSON = 32 * 1024 * 1024;

/** A local wall-clock ISO time (no zone) as ms "as if UTC"; null when absent or malformed. */
export function wallOfIso(iso: string | null | undefined): number | null {
  const ms = iso ? Date.parse(`${iso}Z`) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

export interface DumpFacts {
  headerUtcMs: number | null;
  processCreateUtcMs: number | null;
  processId: number | null;
  threads: { tid: number; unixMs: number; name: string | null; index: number }[];
  exception: { text: string; tid: number; threadIndex: number } | null;
  tz: DumpTimeZone | null;
}

export function readDumpFacts(path: string): DumpFacts {
  return withFileSource(path, (src) => {
    const md = readMinidump(src);
    const crash = explainCrash(md);
    const names = new Map(md.threads.map((t) => [t.id, t]));
    const threads: DumpFacts['threads'] = [];
    for (const ti of md.threadInfo) {
      const ms = filetimeToUnixMs(ti.createTime);
      const t = names.get(ti.threadId);
      if (ms !== null)
        threads.push({ tid: ti.threadId, unixMs: ms, name: t?.name ?? null, index: t?.index ?? -1 });
    }
    const where = crash?.faultingModule
      ? `${crash.faultingModule.name}+0x${crash.faultingModule.offset.toString(16)}`
      : crash?.location;
    return {
      headerUtcMs: md.timestamp > 0 ? md.timestamp * 1000 : null,
      processCreateUtcMs: md.misc?.processCreateTime ? md.misc.processCreateTime * 1000 : null,
      processId: md.misc?.processId ?? null,
      threads,
      exception: crash
        ? {
            text: `${crash.reason} in ${where ?? 'an unknown place'} (thread ${crash.threadId}${crash.threadName ? ` "${crash.threadName}"` : ''})`,
            tid: crash.threadId,
            threadIndex: crash.threadIndex,
          }
        : null,
      tz: readDumpTimeZone(src, md),
    };
  });
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

function readJson(path: string): unknown {
  const buf = readFileSync(path);
  if (buf.length > MAX_JSON) return null;
  // 64-bit FILETIMEs exceed 2^53: quote long integers so they survive as text.
  const text = stripBom(buf.toString('utf8')).replace(/(:\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
  return JSON.parse(text) as unknown;
}

export interface ManifestFacts {
  captureWallMs: number | null;
  kind: string | null;
  pid: number | null;
  secondsSinceHeartbeat: number | null;
  loading: boolean | null;
  inMenu: boolean | null;
  etwStatus: string | null;
}

/** The capture time is the `<ts>` of its name (the same as `timestamp_local`), given by the caller. */
export function readManifestFacts(art: TimelineArtifact): ManifestFacts | null {
  const m = obj(readJson(art.path));
  if (!m) return null;
  const ctx = obj(m.context);
  return {
    captureWallMs: wallOfIso(art.nameTime),
    kind: str(m.capture_kind),
    pid: num(m.pid),
    secondsSinceHeartbeat: num(ctx?.seconds_since_heartbeat),
    loading: typeof ctx?.is_loading === 'boolean' ? ctx.is_loading : null,
    inMenu: typeof ctx?.in_menu === 'boolean' ? ctx.in_menu : null,
    etwStatus: str(obj(m.artifacts)?.etw_status),
  };
}

export interface SummaryFacts {
  /** `dump_identity.last_write_time_utc_100ns`: when the dump file was last written (UTC). */
  dumpWriteUnixMs: number | null;
  /** The last loose-file opens of the plugin's resource ring (ms since the plugin started). */
  resources: {
    tMs: number;
    tid: number | null;
    kind: string;
    path: string;
    providers: string[];
    conflict: boolean;
  }[];
}

export function readSummaryFacts(path: string): SummaryFacts | null {
  const s = obj(readJson(path));
  if (!s) return null;
  const ft =
    str(obj(s.dump_identity)?.last_write_time_utc_100ns) ??
    num(obj(s.dump_identity)?.last_write_time_utc_100ns);
  const resources: SummaryFacts['resources'] = [];
  for (const r of Array.isArray(s.resources) ? s.resources.slice(0, 1000) : []) {
    const o = obj(r);
    const tMs = num(o?.t_ms);
    const p = str(o?.path);
    if (tMs === null || !p) continue;
    resources.push({
      tMs,
      tid: num(o?.tid),
      kind: str(o?.kind) ?? 'file',
      path: p,
      providers: Array.isArray(o?.providers)
        ? o.providers.filter((x): x is string => typeof x === 'string')
        : [],
      conflict: o?.is_conflict === true,
    });
  }
  let dumpWriteUnixMs: number | null = null;
  if (ft !== null && /^\d+$/.test(String(ft))) dumpWriteUnixMs = filetimeToUnixMs(BigInt(String(ft)));
  return { dumpWriteUnixMs, resources };
}

export interface WctFacts {
  captureWallMs: number | null;
  secondsSinceHeartbeat: number | null;
  verdict: string;
  pid: number | null;
  mainThreadId: number | null;
  waits: { tid: number; isMain: boolean; waitMs: number; what: string }[];
}

export function readWctFacts(art: TimelineArtifact): WctFacts | null {
  const doc = readWctFile(art.path);
  const hang = analyzeHang(doc);
  const waits: WctFacts['waits'] = [];
  for (const t of hang.threads) {
    if (!t.blocked || !t.waitMs || t.waitMs <= 0) continue;
    const obj0 = t.chain.find((s) => s.kind === 'object');
    const owner = t.chain.find((s, i) => s.kind === 'thread' && i > 0);
    const what =
      obj0 && obj0.kind === 'object'
        ? ` on ${obj0.typeName}${obj0.name ? ` "${obj0.name}"` : ''}${owner && owner.kind === 'thread' ? ` owned by thread ${owner.tid}` : ''}`
        : '';
    waits.push({ tid: t.tid, isMain: t.isMain, waitMs: t.waitMs, what });
  }
  return {
    captureWallMs: wallOfIso(art.nameTime),
    secondsSinceHeartbeat: doc.capture?.secondsSinceHeartbeat ?? null,
    verdict: hang.verdict,
    pid: doc.pid,
    mainThreadId: hang.mainThreadId,
    waits: waits.slice(0, 200),
  };
}

export interface CrashLogFacts {
  /** From the name (s) or NetScriptFramework's `Time:` line (ms). */
  wallMs: number | null;
  precision: 'ms' | 's';
  exceptionLine: string | null;
  exceptionLineNo: number | null;
  /** "Time: 26 Jan 2024 00:16:47.920" → where it came from. */
  from: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const HEAD = 256 * 1024;

/** The crash log's own time and exception line, from its head (the sections below are not needed). */
export function readCrashLogFacts(art: TimelineArtifact): CrashLogFacts {
  let text = '';
  try {
    const fd = readFileSync(art.path);
    text = fd.subarray(0, HEAD).toString('utf8');
  } catch {
    // Unreadable: the name's time still places it.
  }
  const lines = text.split(/\r?\n/, 400);
  let exceptionLine: string | null = null;
  let exceptionLineNo: number | null = null;
  let nsf: number | null = null;
  lines.forEach((l, i) => {
    if (exceptionLine === null && /Unhandled (?:native )?exception/i.test(l)) {
      exceptionLine = l.trim().slice(0, 300);
      exceptionLineNo = i + 1;
    }
    const m = /^Time:\s+(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?/.exec(l);
    if (m && nsf === null) {
      const mo = MONTHS.indexOf(m[2]!.toLowerCase());
      if (mo >= 0)
        nsf = Date.UTC(+m[3]!, mo, +m[1]!, +m[4]!, +m[5]!, +m[6]!, Number((m[7] ?? '0').padEnd(3, '0')));
    }
    // Crash Logger / Buffout: a time line at the top in ISO form.
    if (nsf === null && i < 20 && /time/i.test(l)) {
      const at = l.search(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/);
      if (at >= 0) {
        const b = Buffer.from(l, 'utf8');
        const ts = parseLineTimestamp(b, Buffer.byteLength(l.slice(0, at)), b.length);
        if (ts) nsf = ts.ms;
      }
    }
  });
  if (nsf !== null)
    return {
      wallMs: nsf,
      precision: 'ms',
      exceptionLine,
      exceptionLineNo,
      from: 'the time line inside the log',
    };
  return {
    wallMs: wallOfIso(art.nameTime),
    precision: 's',
    exceptionLine,
    exceptionLineNo,
    from: 'the time in the file name',
  };
}
