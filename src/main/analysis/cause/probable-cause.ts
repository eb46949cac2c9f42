import type { Finding } from '../../../shared/domain/finding';
import type { Confidence, ProbableCause, Suspect } from '../../../shared/domain/incident';
import { buildHeadline } from './headline';
import { isSetupOnly } from './model';
import { classifyModule, isProxyName, suspectWeight } from './roles';

/**
 * From ranked suspects, known-issue findings and what the input lacked to the one answer a
 * player reads: a subject with a confidence, or an honest "unknown" that says what to capture
 * next. Shared by every analyzer and by the incident-level merge.
 */

export type CrashLoggerName = 'crashlogger' | 'buffout4' | 'netscriptframework' | 'trainwreck' | 'unknown';

export interface CauseContext {
  kind: 'crash' | 'hang' | 'manual';
  findings: readonly Finding[];
  exception: {
    name: string | null;
    module: string | null;
    offset?: number | null;
    code?: number | null;
  } | null;
  /** What the input lacked ("module list (MODULES)", "call stack frames"). */
  missing: readonly string[];
  game: 'skyrim' | 'fallout4' | null;
  /** What the evidence came from: decides the "what to capture next" advice. */
  sources: {
    crashLog?: CrashLoggerName | null;
    dump?: boolean;
    /** The dump's stack could only be scanned (no unwind information or no stack memory). */
    dumpStackWeak?: boolean;
    skyrimDiag?: boolean;
    wct?: boolean;
  };
  /** Hangs: what the wait chains say about the main thread, one clause. */
  hang?: { summary: string | null };
}

/** Scores (model.ts units) where a suspect is worth naming at each confidence. */
export const CONFIDENCE_AT = { high: 55, medium: 28, low: 12 } as const;
/** Over the runner-up, for "high". */
const HIGH_MARGIN = 1.5;

function confidenceOf(top: Suspect, second: Suspect | undefined): Confidence {
  const w = suspectWeight(top);
  if (w === 'victim') return top.score >= CONFIDENCE_AT.medium ? 'low' : 'unknown';
  if (top.score >= CONFIDENCE_AT.high && (!second || top.score >= HIGH_MARGIN * second.score)) return 'high';
  if (top.score >= CONFIDENCE_AT.medium) return 'medium';
  if (top.score >= CONFIDENCE_AT.low) return 'low';
  return 'unknown';
}

/** The first sentence, without its full stop; a very long one is cut at a word. */
function firstSentence(s: string, max = 280): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(s.trim());
  const t = (m?.[1] ?? s).trim().replace(/[.!?]+$/, '');
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[,;:]$/, '')}…`;
}

function lowerFirst(s: string): string {
  return s && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** What to do about a suspect, by its role. */
function nextFor(s: Suspect, label: string): string {
  const c = classifyModule(s.name);
  if (isProxyName(s.name) && s.role === 'overlay')
    // Normal weight: the input showed it is the game-folder copy, not Windows' own.
    return suspectWeight(s) !== 'normal'
      ? `If ENB or ReShade is installed (a ${s.name} in the game folder), update or remove it and test again; otherwise update or cleanly reinstall the graphics driver`
      : `Update or remove the ${s.name} in the game folder (ENB, ReShade or a similar proxy) and test again; if the crash stays, update or cleanly reinstall the graphics driver`;
  switch (s.role ?? c.role) {
    case 'plugin':
      return `Disable ${label} (with the patches that need it) or check its records in xEdit, then test from an earlier save`;
    case 'framework':
    case 'script-extender':
      return `Update ${label}; if it keeps crashing, look at the mods that use it (the frames under it in the stack)`;
    case 'driver':
      return 'Update or cleanly reinstall the graphics driver, and test without ENB, ReShade or upscalers';
    case 'overlay':
      return c.weight === 'normal'
        ? `Update or remove ${label} (ENB/ReShade/DXVK) and test without it`
        : `Turn off ${label} and test again`;
    case 'mod-manager':
      return 'Exclude the game and Mod Organizer 2 folders from antivirus scanning and start the game from MO2 again';
    default:
      return `Update ${label}, or disable it and test again; if the crash stays, report it to its author with this log`;
  }
}

function whyFor(s: Suspect): string {
  const fors = (s.evidence ?? []).filter((e) => e.direction === 'for').map((e) => e.text);
  if (fors.length === 0) return s.reason || 'the strongest lead in this input';
  const [a, b] = fors as [string, string | undefined];
  // "first mod DLL below the game's own frames in the crashing call stack" already says the
  // second half of "frames in the crashing call stack".
  const repeats = b !== undefined && /\bstack\b/.test(a) && /\bstack\b/.test(b);
  return b !== undefined && !repeats && a.length + b.length < 110 ? `${a} and ${b}` : a;
}

/** Why nothing could be named: where the crash landed and what that means. */
function mechanism(ctx: CauseContext): string {
  const ex = ctx.exception;
  if (ctx.kind !== 'crash')
    return ctx.hang?.summary ?? 'the capture shows no thread holding up the game that belongs to a mod';
  if (!ex) return 'the input has no exception record to start from';
  if (/C\+\+ Exception|0xE06D7363/i.test(ex.name ?? '') || ex.code === 0xe06d7363)
    return 'a C++ exception ended the game but its thrower is not in the input';
  if (!ex.module)
    return 'the fault is at an address no module owns (a bad or freed pointer) and no mod is on the stack';
  const c = classifyModule(ex.module);
  const where = `${ex.module}${ex.offset != null ? `+0x${ex.offset.toString(16).toUpperCase()}` : ''}`;
  if (c.role === 'allocator')
    return `the crash surfaced in the memory allocator (${where}), where heap damage or exhausted memory is noticed, and no mod is on the stack`;
  if (c.role === 'game') return `the crash is in the game's own code (${where}) and no mod is on the stack`;
  if (c.role === 'os' || c.role === 'runtime')
    return `the crash is in ${where}, a Windows or runtime library that only notices the damage, and no mod is on the stack`;
  return `the crash is in ${where} and no mod is clearly to blame`;
}

/** The one thing to capture or share so the next crash can be explained. */
function captureNext(ctx: CauseContext): string {
  const cut = ctx.missing.filter((m) => /call stack|cut off|exception line|module list|plugin list/.test(m));
  if (ctx.sources.crashLog && cut.length)
    return `Share the whole crash log file: this one lacks its ${cut.slice(0, 2).join(' and ')}`;
  if (ctx.kind !== 'crash')
    return ctx.sources.dump
      ? 'When it freezes again, let SkyrimDiag write a hang dump (or press Ctrl+Shift+F12) so the waiting threads are recorded, and keep its wait-chain file next to it'
      : 'When it freezes again, capture a hang dump with SkyrimDiag (Ctrl+Shift+F12) so the blocked threads and their modules are recorded';
  const logger = ctx.game === 'fallout4' ? 'Buffout 4 NG' : 'Crash Logger SSE AE VR';
  if (ctx.sources.crashLog === 'netscriptframework' || ctx.sources.crashLog === 'trainwreck')
    return `Install ${logger} (it names the plugins and objects near the crash) and share the log of the next crash`;
  if (ctx.sources.dump && !ctx.sources.crashLog)
    return ctx.sources.dumpStackWeak
      ? `Install ${logger} so the next crash also writes a log, and let SkyrimDiag write fuller dumps (DumpMode=2)`
      : `Install ${logger} so the next crash also writes a log that names the plugins and objects involved`;
  return 'If it happens again, note what you were doing; disable recently added or updated mods in halves to find the one that brings it back';
}

/** The known issue to lead with: one about this crash before a remark about the mod list. */
function lead(findings: readonly Finding[]): Finding | undefined {
  const serious = findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
  return serious.find((f) => !isSetupOnly(f)) ?? serious[0];
}

function mentions(f: Finding, s: Suspect): boolean {
  const n = s.name.toLowerCase();
  return f.evidence.some((e) => e.toLowerCase().includes(n)) || f.title.toLowerCase().includes(n);
}

/** The probable cause (headline included) from ranked suspects and the incident's context. */
export function deriveCause(suspects: readonly Suspect[], ctx: CauseContext): ProbableCause {
  const top = suspects[0];
  const confidence: Confidence = top ? confidenceOf(top, suspects[1]) : 'unknown';
  const known = lead(ctx.findings);
  const incomplete =
    ctx.missing.length > 0
      ? ` (the input is incomplete: it has no ${ctx.missing.slice(0, 2).join(' and no ')})`
      : '';
  let cause: Omit<ProbableCause, 'headline'>;

  if (top && confidence !== 'unknown' && (confidence !== 'low' || !known || mentions(known, top))) {
    const named = top.mod ? `${top.mod.name} (${top.name})` : top.name;
    const evidence = (top.evidence ?? []).filter((e) => e.direction === 'for').map((e) => e.text);
    if (known) evidence.push(`known issue: ${known.title}`);
    cause = {
      subject: top.name,
      subjectKind: top.role === 'plugin' ? 'plugin' : 'module',
      confidence,
      why: whyFor(top),
      evidence: [
        ...evidence,
        ...(top.evidence ?? []).filter((e) => e.direction === 'against').map((e) => `against: ${e.text}`),
      ].slice(0, 8),
      next: known && mentions(known, top) ? firstSentence(known.fix) : nextFor(top, named),
    };
    if (top.mod) cause.mod = top.mod;
    if (top.version) cause.version = top.version;
  } else if (known) {
    cause = {
      subject: known.title,
      subjectKind: 'known-issue',
      confidence: known.severity === 'critical' ? 'high' : 'medium',
      why: lowerFirst(firstSentence(known.explanation)),
      evidence: known.evidence.slice(0, 6),
      next: firstSentence(known.fix),
    };
  } else {
    // A known victim (the game's loader, an allocator) is no lead worth a player's attention.
    const weakLead = top && suspectWeight(top) !== 'victim' ? top : undefined;
    cause = {
      subject: null,
      subjectKind: 'unknown',
      confidence: 'unknown',
      why: `${mechanism(ctx)}${weakLead ? `; the only lead, ${weakLead.name}, is too weak to name` : ''}${incomplete}`,
      evidence: top ? [`strongest lead: ${top.name} (${top.reason}), too weak to name`] : [],
      next: captureNext(ctx),
    };
  }
  return { ...cause, headline: buildHeadline(cause) };
}
