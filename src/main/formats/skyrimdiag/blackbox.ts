import type { Blackbox, BlackboxEvent, SdProblem } from '../../../shared/domain/skyrimdiag';
import { stripBom } from '../../../shared/text';
import { ParseError } from '../common/parse-error';
import { int, num, obj, quoteLongIntegers, str, u64 } from './json';

/**
 * `<stem>_SkyrimDiagBlackbox.jsonl`: SkyrimDiag's in-game event ring as the analyzer decoded
 * it, one JSON object per line, oldest first (skyrimdiag-artifacts.md §9.2). A damaged or cut
 * line is skipped and listed; the rest is kept. The typed event list is what the hang verdict
 * (main thread = SessionStart tid) and the timeline use.
 */

/** The ring holds 65,536 events; allow some slack, never an unbounded list. */
export const MAX_EVENTS = 70_000;
/** A real line is < 300 bytes; longer ones are damage. */
const MAX_LINE = 16 * 1024;
export const MAX_BLACKBOX_BYTES = 64 * 1024 * 1024;
const MAX_PROBLEMS = 50;

/** Event type ids as the plugin defines them, for files that lack `type_name`. */
export const BLACKBOX_TYPES: Readonly<Record<number, string>> = {
  1: 'SessionStart',
  2: 'Heartbeat',
  10: 'MenuOpen',
  11: 'MenuClose',
  20: 'LoadStart',
  21: 'LoadEnd',
  30: 'CellChange',
  40: 'Note',
  50: 'PerfHitch',
  60: 'ModuleLoad',
  61: 'ModuleUnload',
  70: 'ThreadCreate',
  71: 'ThreadExit',
  80: 'FirstChanceException',
  100: 'Crash',
  200: 'HangMark',
};

export function parseBlackbox(input: Buffer | string, file = 'blackbox.jsonl'): Blackbox {
  if (Buffer.isBuffer(input) && input.length > MAX_BLACKBOX_BYTES)
    throw new ParseError(`black box is ${input.length} bytes; the limit is ${MAX_BLACKBOX_BYTES}`, {
      file,
      code: 'too_large',
    });
  const text = stripBom(typeof input === 'string' ? input : input.toString('utf8'));
  const events: BlackboxEvent[] = [];
  const problems: SdProblem[] = [];
  let dropped = 0;
  const problem = (line: number | null, code: string, message: string) => {
    dropped++;
    if (problems.length < MAX_PROBLEMS) problems.push({ line, code, message });
  };
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const cutMidLine = end < 0;
    if (end < 0) end = text.length;
    lineNo++;
    const raw = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!raw.trim()) continue;
    if (events.length >= MAX_EVENTS) {
      problem(lineNo, 'too_many_events', `more than ${MAX_EVENTS} events; the rest is not read`);
      break;
    }
    if (raw.length > MAX_LINE) {
      problem(lineNo, 'long_line', `line of ${raw.length} characters is not an event`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(quoteLongIntegers(raw));
    } catch {
      problem(
        lineNo,
        cutMidLine ? 'cut_line' : 'bad_json',
        cutMidLine ? 'the last line is cut off' : 'not JSON',
      );
      continue;
    }
    const ev = toEvent(obj(json));
    if (ev) events.push(ev);
    else problem(lineNo, 'bad_event', 'missing or invalid i/t_ms/tid/type');
  }
  if (events.length === 0 && dropped > 0)
    throw new ParseError('no black-box event could be read', { file, code: 'bad_record' });
  const start0 = events.find((e) => e.type === 1);
  return {
    events,
    mainThreadId: start0 ? start0.tid : null,
    problems,
    incomplete: dropped > 0,
  };
}

function toEvent(o: Record<string, unknown> | null): BlackboxEvent | null {
  if (!o) return null;
  const index = int(o.i);
  const tMs = num(o.t_ms);
  const tid = int(o.tid);
  const type = int(o.type);
  if (index === null || tMs === null || tid === null || type === null || index < 0 || tid < 0) return null;
  return {
    index,
    tMs,
    tid,
    type,
    typeName: str(o.type_name, 64) ?? BLACKBOX_TYPES[type] ?? `type ${type}`,
    a: u64(o.a) ?? '0',
    b: u64(o.b) ?? '0',
    c: u64(o.c) ?? '0',
    d: u64(o.d) ?? '0',
    detail: str(o.detail, 512),
  };
}

/** Modules loaded (and not unloaded) in the last `windowMs` before the end of the record. */
export function recentModuleLoads(bb: Blackbox, windowMs: number): string[] {
  const last = bb.events[bb.events.length - 1]?.tMs ?? 0;
  const out = new Set<string>();
  for (const e of bb.events) {
    if (e.tMs < last - windowMs || !e.detail) continue;
    if (e.type === 60) out.add(e.detail);
    if (e.type === 61) out.delete(e.detail);
  }
  return [...out];
}
