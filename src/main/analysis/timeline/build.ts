import type { IncidentKind, IncidentSource } from '../../../shared/domain/incident';
import type {
  Timeline,
  TimelineEvent,
  TimelineSource,
  TimelineSourceInfo,
  TimelineZone,
} from '../../../shared/domain/timeline';
import { FileSource } from '../../formats/common/byte-source';
import {
  hostOffsetAt,
  offsetFromBias,
  offsetFromPair,
  TimelineClock,
  wallIso,
  zoneLabel,
  type ZoneChoice,
} from './clock';
import { Nearest, type DraftEvent } from './sink';
import { anchorBlackbox, blackboxDrafts, type BlackboxParser } from './sources/blackbox';
import { collectEtw, readEtwHeader, type EtwHeaderFacts } from './sources/etw';
import {
  readCrashLogFacts,
  readDumpFacts,
  readManifestFacts,
  readSummaryFacts,
  readWctFacts,
  wallOfIso,
  type CrashLogFacts,
  type DumpFacts,
  type ManifestFacts,
  type SummaryFacts,
  type TimelineArtifact,
  type WctFacts,
} from './sources/small';
import { collectTextLog } from './sources/textlog';

export type { TimelineArtifact } from './sources/small';

/**
 * One incident's timeline (docs in shared/domain/timeline.ts). The small artifacts are read first:
 * they fix the zone offset (for UTC sources), the incident time and the anchors of relative
 * clocks. Big ones (logs, traces) are then streamed, each keeping the events nearest the incident.
 */
export interface TimelineInput {
  incidentId: string;
  kind: IncidentKind;
  source: IncidentSource;
  /** The incident's capture time (local wall clock ISO), the fallback incident time. */
  capturedAt: string;
  title: string;
  artifacts: TimelineArtifact[];
}

export interface TimelineOptions {
  /** Events kept per source (nearest the incident). */
  perSource?: number;
  /** Events in the whole timeline. */
  maxEvents?: number;
  onProgress?: (p: { name: string; bytesDone: number; bytesTotal: number; done: boolean }) => void;
  signal?: AbortSignal;
  /** The black-box JSONL parser (formats/skyrimdiag); without it the black box is left out, saying so. */
  parseBlackbox?: BlackboxParser;
  /** This computer's zone offset at a moment (tests pin it). */
  hostOffset?: (unixMs: number) => number;
}

const PER_SOURCE = 5_000;
const MAX_EVENTS = 20_000;
const TEXT_ROLE_SOURCE: Partial<Record<string, TimelineSource>> = {
  papyrus: 'papyrus',
  log: 'log',
  threaddump: 'log',
};

function attempt<T>(fn: () => T): { value: T | null; error: string | null } {
  try {
    return { value: fn(), error: null };
  } catch (e) {
    return { value: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function buildTimeline(input: TimelineInput, opts: TimelineOptions = {}): Promise<Timeline> {
  const perSource = opts.perSource ?? PER_SOURCE;
  const info: TimelineSourceInfo[] = [];
  const note = (
    source: TimelineSource,
    a: TimelineArtifact,
    clock: string,
    n: string | null,
    kept = 0,
    seen = 0,
  ) => info.push({ source, artifactId: a.id, name: a.name, kept, seen, clock, note: n });
  const of = (role: string) => input.artifacts.filter((a) => a.role === role);

  // 1. Small artifacts.
  const dumps: { a: TimelineArtifact; f: DumpFacts }[] = [];
  for (const a of of('dump')) {
    const r = attempt(() => readDumpFacts(a.path));
    if (r.value) dumps.push({ a, f: r.value });
    else note('dump', a, '', `could not be read: ${r.error}`);
  }
  const manifests: { a: TimelineArtifact; f: ManifestFacts }[] = [];
  for (const a of of('manifest')) {
    const r = attempt(() => readManifestFacts(a));
    if (r.value) manifests.push({ a, f: r.value });
    else note('manifest', a, '', `could not be read${r.error ? `: ${r.error}` : ''}`);
  }
  const summaries: { a: TimelineArtifact; f: SummaryFacts }[] = [];
  for (const a of of('summary')) {
    const r = attempt(() => readSummaryFacts(a.path));
    if (r.value) summaries.push({ a, f: r.value });
    else note('summary', a, '', `could not be read${r.error ? `: ${r.error}` : ''}`);
  }
  const wcts: { a: TimelineArtifact; f: WctFacts }[] = [];
  for (const a of of('wct')) {
    const r = attempt(() => readWctFacts(a));
    if (r.value) wcts.push({ a, f: r.value });
    else note('wct', a, '', `could not be read${r.error ? `: ${r.error}` : ''}`);
  }
  const logs: { a: TimelineArtifact; f: CrashLogFacts }[] = of('crashlog').map((a) => ({
    a,
    f: readCrashLogFacts(a),
  }));
  const etls: { a: TimelineArtifact; h: EtwHeaderFacts | null; error: string | null }[] = of('etl').map(
    (a) => {
      const r = attempt(() => {
        const src = new FileSource(a.path);
        try {
          return readEtwHeader(src);
        } finally {
          src.close();
        }
      });
      return { a, h: r.value, error: r.error };
    },
  );

  const dump = dumps[0]?.f ?? null;
  const manifest = manifests[0]?.f ?? null;
  const summary = summaries[0]?.f ?? null;
  const wct = wcts[0]?.f ?? null;
  const log = logs[0]?.f ?? null;
  const capturedWall = wallOfIso(input.capturedAt);
  const dumpNameWall = wallOfIso(dumps[0]?.a.nameTime);
  const captureWall = manifest?.captureWallMs ?? dumpNameWall ?? wct?.captureWallMs ?? null;

  // 2. The zone offset: local wall clock minus UTC at the capture.
  const zone = chooseZone({
    dump,
    summary,
    captureWall,
    log,
    etls,
    hostOffset: opts.hostOffset ?? hostOffsetAt,
  });
  const clock = new TimelineClock(zone);
  const wallOfUtc = (unixMs: number | null) => (unixMs === null ? null : clock.wallFromUtc(unixMs));

  // 3. The incident time.
  const drafts: DraftEvent[] = [];
  let incident: number;
  let incidentFrom: string;
  const heartbeatSec = manifest?.secondsSinceHeartbeat ?? wct?.secondsSinceHeartbeat ?? null;
  const hangCapture = captureWall ?? capturedWall;
  if (input.kind === 'hang' && hangCapture !== null && heartbeatSec !== null) {
    incident = hangCapture - heartbeatSec * 1000;
    incidentFrom = `the freeze began at the last heartbeat, ${heartbeatSec.toFixed(1)} s before SkyrimDiag's capture`;
  } else if (input.source === 'skyrimdiag' && captureWall !== null) {
    incident = captureWall;
    incidentFrom = "SkyrimDiag's capture time (local clock, to the millisecond)";
  } else if (log?.wallMs != null) {
    incident = log.wallMs;
    incidentFrom = `the crash log's time (${log.from})`;
  } else if (dump?.headerUtcMs != null && zone.offsetMinutes !== null) {
    incident = wallOfUtc(dump.headerUtcMs)!;
    incidentFrom = "the dump's write time (UTC, to the second)";
  } else {
    incident = capturedWall ?? 0;
    incidentFrom = 'the incident time in the index (file times)';
  }

  // 4. What the small artifacts say.
  const crashText = dump?.exception?.text ?? log?.exceptionLine ?? input.title;
  const d0 = dumps[0];
  if (input.kind === 'hang')
    drafts.push({
      wallMs: incident,
      source: 'incident',
      kind: 'freeze',
      level: 'error',
      text:
        heartbeatSec !== null
          ? "Freeze began: the game's main loop last ran (last heartbeat)"
          : `Hang captured: ${input.title}`,
      precision: heartbeatSec !== null ? 'approx' : 'ms',
      ref: wcts[0] ? { artifactId: wcts[0].a.id, role: 'wct' } : { artifactId: null, role: null },
    });
  else
    drafts.push({
      wallMs: incident,
      source: 'incident',
      kind: input.kind === 'crash' ? 'crash' : 'capture',
      level: input.kind === 'crash' ? 'error' : 'info',
      text: input.kind === 'crash' ? `Crash: ${crashText}` : `Capture: ${input.title}`,
      precision: incidentFrom.includes('second') ? 's' : 'ms',
      ref: d0
        ? { artifactId: d0.a.id, role: 'dump', ...(d0.f.exception ? { tid: d0.f.exception.tid } : {}) }
        : logs[0]
          ? {
              artifactId: logs[0].a.id,
              role: 'crashlog',
              ...(logs[0].f.exceptionLineNo ? { line: logs[0].f.exceptionLineNo } : {}),
            }
          : { artifactId: null, role: null },
    });

  const zoneClock =
    zone.offsetMinutes === null ? '' : ` shifted by the zone offset (${zoneLabel(zone.offsetMinutes)})`;
  for (const { a, f } of dumps) {
    const before = drafts.length;
    const preciseWrite = summary?.dumpWriteUnixMs ?? null;
    const written = wallOfUtc(preciseWrite ?? f.headerUtcMs);
    if (written !== null)
      drafts.push({
        wallMs: written,
        source: 'dump',
        kind: 'dump-written',
        level: 'info',
        text: `minidump written: ${a.name}`,
        precision: preciseWrite !== null ? 'ms' : 's',
        ref: { artifactId: a.id, role: 'dump' },
      });
    const started = wallOfUtc(f.processCreateUtcMs);
    if (started !== null)
      drafts.push({
        wallMs: started,
        source: 'dump',
        kind: 'process-start',
        level: 'info',
        text: `game process started${f.processId !== null ? ` (pid ${f.processId})` : ''}`,
        precision: 's',
        ref: { artifactId: a.id, role: 'dump' },
      });
    for (const t of f.threads.slice(0, perSource)) {
      const w = wallOfUtc(t.unixMs);
      if (w === null) continue;
      drafts.push({
        wallMs: w,
        source: 'dump',
        kind: 'thread-start',
        level: 'info',
        text: `thread ${t.tid}${t.name ? ` "${t.name}"` : ''} created`,
        precision: 'ms',
        ref: { artifactId: a.id, role: 'dump', tid: t.tid },
      });
    }
    note(
      'dump',
      a,
      `header TimeDateStamp and MINIDUMP_MISC_INFO ProcessCreateTime (Unix seconds, UTC), thread-info CreateTime (FILETIME, 100 ns since 1601, UTC)${zoneClock}`,
      zone.offsetMinutes === null ? 'no zone offset: its UTC times cannot be placed' : null,
      drafts.length - before,
      drafts.length - before,
    );
  }
  for (const { a, f } of manifests) {
    const before = drafts.length;
    if (f.captureWallMs !== null) {
      const state = [f.loading ? 'loading screen' : null, f.inMenu ? 'in a menu' : null]
        .filter(Boolean)
        .join(', ');
      drafts.push({
        wallMs: f.captureWallMs,
        source: 'manifest',
        kind: 'capture',
        level: 'info',
        text: `SkyrimDiag captured a ${f.kind ?? 'dump'}${state ? ` (${state})` : ''}${f.etwStatus && f.etwStatus !== 'disabled' ? `; ETW ${f.etwStatus}` : ''}`,
        precision: 'ms',
        ref: { artifactId: a.id, role: 'manifest' },
      });
      if (f.secondsSinceHeartbeat !== null && input.kind !== 'hang')
        drafts.push({
          wallMs: f.captureWallMs - f.secondsSinceHeartbeat * 1000,
          source: 'manifest',
          kind: 'heartbeat',
          level: 'warning',
          text: `last heartbeat: the main loop last ran ${f.secondsSinceHeartbeat.toFixed(1)} s before the capture`,
          precision: 'approx',
          ref: { artifactId: a.id, role: 'manifest' },
        });
    }
    note(
      'manifest',
      a,
      '`timestamp_local` (local wall clock, ms)',
      f.captureWallMs === null ? 'no timestamp_local' : null,
      drafts.length - before,
      drafts.length - before,
    );
  }
  for (const { a, f } of wcts) {
    const before = drafts.length;
    const at = f.captureWallMs ?? captureWall;
    if (at !== null) {
      drafts.push({
        wallMs: at,
        source: 'wct',
        kind: 'wct-capture',
        level: 'warning',
        text: `wait chains captured: ${f.verdict}`,
        precision: f.captureWallMs !== null ? 'ms' : 'approx',
        ref: { artifactId: a.id, role: 'wct', ...(f.mainThreadId !== null ? { tid: f.mainThreadId } : {}) },
      });
      for (const w of f.waits)
        drafts.push({
          wallMs: at - w.waitMs,
          source: 'wct',
          kind: 'wait-start',
          level: w.isMain ? 'error' : 'warning',
          text: `${w.isMain ? 'main thread' : 'thread'} ${w.tid} began waiting${w.what}`,
          precision: 'approx',
          ref: { artifactId: a.id, role: 'wct', tid: w.tid },
        });
    }
    note(
      'wct',
      a,
      'capture time from the file name (local wall clock); waits are the wait time before it',
      at === null ? 'no capture time' : null,
      drafts.length - before,
      drafts.length - before,
    );
  }
  for (const { a, f } of logs) {
    if (f.wallMs !== null)
      drafts.push({
        wallMs: f.wallMs,
        source: 'crashlog',
        kind: 'crash-log',
        level: 'error',
        text: `crash log ${a.name}${f.exceptionLine ? `: ${f.exceptionLine}` : ''}`,
        precision: f.precision,
        ref: {
          artifactId: a.id,
          role: 'crashlog',
          ...(f.exceptionLineNo ? { line: f.exceptionLineNo } : {}),
        },
      });
    note(
      'crashlog',
      a,
      `${f.from} (local wall clock)`,
      f.wallMs === null ? 'no time in its name or text' : null,
      f.wallMs === null ? 0 : 1,
      f.wallMs === null ? 0 : 1,
    );
  }

  // 5. Relative clocks: the black box, and the summary's resource ring on the same clock.
  const threadStarts = new Map<number, number>();
  for (const t of dump?.threads ?? []) {
    const w = wallOfUtc(t.unixMs);
    if (w !== null) threadStarts.set(t.tid, w);
  }
  const anchorInputs = {
    threadStarts,
    crashCaptureWall: input.kind === 'crash' && input.source === 'skyrimdiag' ? captureWall : null,
    processStartWall: wallOfUtc(dump?.processCreateUtcMs ?? null),
    captureWall,
  };
  let bbAnchor: ReturnType<typeof anchorBlackbox> = null;
  for (const a of of('blackbox')) {
    if (!opts.parseBlackbox) {
      note('blackbox', a, 'ms since the plugin started', 'the black-box parser is not in this build yet');
      continue;
    }
    const r = attempt(() => {
      const src = new FileSource(a.path);
      try {
        return opts.parseBlackbox!(src.read(0, src.size, 'blackbox'), a.name);
      } finally {
        src.close();
      }
    });
    if (!r.value) {
      note('blackbox', a, '', `could not be read: ${r.error}`);
      continue;
    }
    const anchor = anchorBlackbox(r.value.events, anchorInputs);
    if (!anchor) {
      note(
        'blackbox',
        a,
        'ms since the plugin started',
        'nothing dates it (no dump thread times, crash capture or capture time)',
        0,
        r.value.events.length,
      );
      continue;
    }
    bbAnchor ??= anchor;
    const near = new Nearest<DraftEvent>(perSource, incident);
    for (const d of blackboxDrafts(a, r.value.events, anchor)) near.add(d.wallMs, d);
    drafts.push(...near.values());
    note('blackbox', a, `ms since the plugin started, placed by ${anchor.from}`, null, near.size, near.seen);
  }
  for (const { a, f } of summaries) {
    if (!f.resources.length) continue;
    if (!bbAnchor) {
      note(
        'summary',
        a,
        'ms since the plugin started',
        'its resource ring is on the black box clock, which nothing dated',
        0,
        f.resources.length,
      );
      continue;
    }
    for (const [i, r] of f.resources.entries())
      drafts.push({
        wallMs: r.tMs + bbAnchor.offsetMs,
        source: 'summary',
        kind: 'resource',
        level: r.conflict ? 'warning' : 'info',
        text: `opened ${r.path}${r.providers.length ? ` (from ${r.providers.join(', ')})` : ''}${r.conflict ? ' — provided by more than one mod' : ''}`,
        precision: bbAnchor.precision,
        ref: { artifactId: a.id, role: 'summary', index: i, ...(r.tid !== null ? { tid: r.tid } : {}) },
      });
    note(
      'summary',
      a,
      `resource ring (ms since the plugin started), placed by the black box's anchor`,
      null,
      f.resources.length,
      f.resources.length,
    );
  }

  // 6. Streams: text logs and traces.
  for (const a of input.artifacts) {
    const source = TEXT_ROLE_SOURCE[a.role];
    if (!source || opts.signal?.aborted) continue;
    const r = await collectTextLog(a, source, {
      center: incident,
      cap: perSource,
      signal: opts.signal,
      onBytes: (done, total) =>
        opts.onProgress?.({ name: a.name, bytesDone: done, bytesTotal: total, done: done >= total }),
    }).catch((e: unknown) => ({
      drafts: [],
      seen: 0,
      note: `could not be read: ${(e as Error).message}`,
      precision: '',
    }));
    drafts.push(...r.drafts);
    note(source, a, r.precision, r.note, r.drafts.length, r.seen);
  }
  const focusPid = manifest?.pid ?? dump?.processId ?? wct?.pid ?? null;
  for (const { a, h, error } of etls) {
    if (opts.signal?.aborted) break;
    if (!h) {
      note('etw', a, '', `could not be read: ${error}`);
      continue;
    }
    const src = new FileSource(a.path);
    try {
      const r = await collectEtw(src, a, {
        center: incident,
        cap: perSource,
        signal: opts.signal,
        focusPid,
        toWall: (unixMs) => clock.wallFromUtc(unixMs),
        onBytes: (done, total) =>
          opts.onProgress?.({ name: a.name, bytesDone: done, bytesTotal: total, done: done >= total }),
      });
      drafts.push(...r.drafts);
      note('etw', a, `${r.precision}${zoneClock}`, r.note, r.drafts.length, r.seen);
    } catch (e) {
      note('etw', a, '', `could not be read: ${(e as Error).message}`);
    } finally {
      src.close();
    }
  }

  // 7. One list in time order, the nearest `maxEvents` when there are more.
  const all = new Nearest<DraftEvent>(opts.maxEvents ?? MAX_EVENTS, incident);
  const seenKeys = new Set<string>();
  for (const d of drafts) {
    const key = `${d.source}|${d.kind}|${Math.round(d.wallMs)}|${d.text}`;
    if (seenKeys.has(key)) continue;
    seenKeys.add(key);
    all.add(d.wallMs, d);
  }
  const kept = all.values().sort((x, y) => x.wallMs - y.wallMs || order(x.source) - order(y.source));
  const events: TimelineEvent[] = kept.map((d) => ({
    t: wallIso(d.wallMs),
    offsetMs: Math.round(d.wallMs - incident),
    source: d.source,
    kind: d.kind,
    level: d.level,
    text: d.text,
    precision: d.precision,
    ref: d.ref,
  }));
  const z: TimelineZone = {
    offsetMinutes: zone.offsetMinutes,
    label: zone.offsetMinutes === null ? 'unknown' : zoneLabel(zone.offsetMinutes),
    from: zone.from,
  };
  return {
    incidentId: input.incidentId,
    kind: input.kind,
    incidentTime: wallIso(incident),
    incidentTimeFrom: incidentFrom,
    zone: z,
    sources: info,
    events,
    truncated: all.seen > all.size || info.some((s) => s.seen > s.kept),
  };
}

const SOURCE_ORDER: TimelineSource[] = [
  'incident',
  'dump',
  'manifest',
  'wct',
  'crashlog',
  'summary',
  'blackbox',
  'etw',
  'log',
  'papyrus',
];
const order = (s: TimelineSource) => SOURCE_ORDER.indexOf(s);

function chooseZone(x: {
  dump: DumpFacts | null;
  summary: SummaryFacts | null;
  captureWall: number | null;
  log: CrashLogFacts | null;
  etls: { h: EtwHeaderFacts | null }[];
  hostOffset: (unixMs: number) => number;
}): ZoneChoice {
  const tz = x.dump?.tz;
  if (tz) {
    const extra = tz.id === 2 ? tz.daylightBias : tz.id === 1 ? tz.standardBias : 0;
    const name = tz.id === 2 ? tz.daylightName : tz.standardName;
    return {
      offsetMinutes: offsetFromBias(tz.bias, extra),
      from: `the dump's time zone${name ? ` (${name})` : ''}, MINIDUMP_MISC_INFO_3 Bias${tz.id === 2 ? ' + DaylightBias' : tz.id === 1 ? ' + StandardBias' : ''}`,
    };
  }
  const utc = x.summary?.dumpWriteUnixMs ?? x.dump?.headerUtcMs ?? null;
  const local = x.captureWall ?? x.log?.wallMs ?? null;
  if (utc !== null && local !== null) {
    const off = offsetFromPair(local, utc);
    if (off !== null)
      return {
        offsetMinutes: off,
        from: `the capture's local time against the dump's UTC write time, rounded to the quarter hour`,
      };
  }
  const etl = x.etls.find((e) => e.h?.biasMinutes != null)?.h;
  if (etl?.biasMinutes != null)
    return {
      offsetMinutes: -etl.biasMinutes,
      from: `the trace's time zone${etl.zoneName ? ` (${etl.zoneName})` : ''}, standard time (daylight saving not known)`,
    };
  const ref = utc ?? x.etls.find((e) => e.h?.startUnixMs != null)?.h?.startUnixMs ?? null;
  if (ref === null) return { offsetMinutes: null, from: 'not needed: no source keeps UTC time' };
  return {
    offsetMinutes: x.hostOffset(ref),
    from: "this computer's time zone (assumed to be the capture machine's: nothing in the files says)",
  };
}
