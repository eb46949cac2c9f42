import type {
  IncidentKind,
  ModRef,
  Suspect,
  SuspectEvidence,
  Verdict,
} from '../../../shared/domain/incident';
import type { AnalyzerOutput, IncidentMergeFacts } from '../artifact-analyzer';
import { digest, MAX_SUSPECTS } from './model';
import { deriveCause, type CauseContext, type CrashLoggerName } from './probable-cause';
import { classifyModule, isEngineOrSystem, suspectWeight } from './roles';
import { compareNames } from './name-order';

/**
 * One answer per incident from every artifact's analysis: a dump, the crash log next to it,
 * SkyrimDiag's summary (its candidates and MO2 mod names), its black box, plugin scan and
 * exit evidence, and for hangs the wait chains. Suspects named by several artifacts are
 * merged (the strongest score, plus a share of the others for agreeing); the probable cause
 * is then derived once more from the merged list, so the headline reflects all of them.
 */

/** Share of a second artifact's score added for agreeing on a suspect. */
const AGREE = 0.3;
/** Score of "holds the lock the main thread waits on" (hangs with wait chains and a dump). */
const LOCK_OWNER = 45;
/** Score of "first mod module on the frozen main thread's stack" (hang dumps). */
const MAIN_THREAD = 30;

const MOD_RANK: Record<ModRef['source'], number> = { user: 5, mo2: 4, vortex: 3, skyrimdiag: 2, path: 1 };

interface Entry {
  s: Suspect;
  scores: number[];
  evidence: SuspectEvidence[];
}

function addSuspect(map: Map<string, Entry>, s: Suspect): void {
  const key = s.name.toLowerCase();
  const e = map.get(key);
  if (!e) {
    map.set(key, { s: { ...s }, scores: [s.score], evidence: [...(s.evidence ?? [])] });
    return;
  }
  e.scores.push(s.score);
  for (const ev of s.evidence ?? []) if (!e.evidence.some((x) => x.text === ev.text)) e.evidence.push(ev);
  if (s.mod && (!e.s.mod || MOD_RANK[s.mod.source] > MOD_RANK[e.s.mod.source])) e.s.mod = s.mod;
  e.s.version ??= s.version;
  e.s.role ??= s.role;
}

function finish(map: Map<string, Entry>): Suspect[] {
  const out = [...map.values()].map(({ s, scores, evidence }) => {
    const sorted = [...scores].sort((a, b) => b - a);
    const score = Math.round((sorted[0]! + AGREE * sorted.slice(1).reduce((t, x) => t + x, 0)) * 10) / 10;
    const d = digest(evidence);
    return { ...s, score, evidence: d.evidence, reason: d.reason || s.reason };
  });
  const victim = (s: Suspect) => suspectWeight(s) === 'victim';
  out.sort(
    (a, b) => Number(victim(a)) - Number(victim(b)) || b.score - a.score || compareNames(a.name, b.name),
  );
  return out.slice(0, MAX_SUSPECTS);
}

/** The merge facts of every artifact that has some. */
function mergeFacts(outputs: readonly AnalyzerOutput[]): IncidentMergeFacts[] {
  return outputs.map((o) => o.merge).filter((m): m is IncidentMergeFacts => !!m);
}

/** Hangs: the module of the thread holding the lock the main thread waits on, and the main thread's own. */
function hangSuspects(facts: readonly IncidentMergeFacts[]): Suspect[] {
  const wct = facts.find((f) => f.mainWaitOwners);
  const dump = facts.find((f) => f.threadLeads);
  if (!dump?.threadLeads) return [];
  const leads = new Map(dump.threadLeads.map((l) => [l.threadId, l]));
  const mainTid =
    facts.find((f) => f.sessionThreadId != null)?.sessionThreadId ??
    wct?.mainThreadId ??
    dump.firstThreadId ??
    null;
  const out: Suspect[] = [];
  const push = (tid: number, score: number, text: string) => {
    const l = leads.get(tid);
    if (!l) return;
    const s: Suspect = {
      name: l.module,
      score: score * (l.trust === 'scan' ? 0.5 : 1),
      reason: text,
      role: classifyModule(l.module).role,
      evidence: [{ direction: 'for', text }],
    };
    if (l.version) s.version = l.version;
    out.push(s);
  };
  for (const owner of wct?.mainWaitOwners ?? []) {
    if (owner === mainTid) continue;
    push(owner, LOCK_OWNER, `holds the lock the main thread waits on (thread ${owner} is in it)`);
    break;
  }
  if (mainTid !== null) push(mainTid, MAIN_THREAD, "first mod module on the frozen main thread's stack");
  return out;
}

/** SkyrimDiag's freeze analysis: the module most blocked threads sit in. */
function freezeSuspects(facts: readonly IncidentMergeFacts[]): Suspect[] {
  const out: Suspect[] = [];
  for (const f of facts) {
    const m = f.freeze?.consensusModule;
    if (!m || isEngineOrSystem(classifyModule(m))) continue;
    const text = `SkyrimDiag: most blocked threads sit in it${f.freeze?.lockCycleProven ? ' (lock cycle proven)' : ''}`;
    out.push({
      name: m,
      score: f.freeze?.lockCycleProven ? 30 : 18,
      reason: text,
      role: classifyModule(m).role,
      evidence: [{ direction: 'for', text }],
    });
  }
  return out;
}

/** The crash logger a crash-log analyzer named ("crashlog:crashlogger"). */
function loggerOf(v: { analyzer?: string } | undefined | null): CrashLoggerName | null {
  const m = /^crashlog:(\w+)$/.exec(v?.analyzer ?? '');
  return m ? (m[1] as CrashLoggerName) : null;
}

/**
 * The incident's verdict with suspects merged across its artifacts and the probable cause
 * derived from all of them. `verdict` is the best artifact's (findings already merged).
 */
export function mergeIncidentCause(
  verdict: Verdict | null,
  outputs: readonly AnalyzerOutput[],
  kind: IncidentKind,
): Verdict | null {
  if (!verdict) return null;
  const map = new Map<string, Entry>();
  const verdicts = outputs.map((o) => o.verdict).filter((v): v is NonNullable<typeof v> => !!v);
  for (const v of verdicts) for (const s of v.suspects ?? []) addSuspect(map, s);
  const facts = mergeFacts(outputs);
  for (const s of [...hangSuspects(facts), ...freezeSuspects(facts)]) addSuspect(map, s);
  // MO2 mod names from SkyrimDiag's summary for every suspect it knows.
  for (const f of facts) {
    for (const e of map.values()) {
      const mod = f.modNames?.[e.s.name.toLowerCase()];
      if (mod && (!e.s.mod || MOD_RANK[e.s.mod.source] < MOD_RANK.skyrimdiag))
        e.s.mod = { name: mod, source: 'skyrimdiag' };
    }
  }
  const suspects = finish(map);
  const clean = facts.some((f) => f.cleanExit);
  const sentence = facts.find((f) => f.sentence)?.sentence ?? null;
  const freeze = facts.find((f) => f.freeze)?.freeze ?? null;
  const crashLog = verdicts.map(loggerOf).find((l) => l !== null) ?? null;
  // A crash log whose exception line was read but names no module (NSF at a freed address)
  // still has an exception record: only a missing line means there is none.
  const exceptionRead = !!crashLog && !verdict.missing.includes('exception line');
  const ctx: CauseContext = {
    kind: kind === 'hang' ? 'hang' : kind === 'manual' ? 'manual' : 'crash',
    findings: verdict.findings,
    exception:
      verdict.exceptionName || verdict.faultingModule || verdict.exceptionCode !== null || exceptionRead
        ? {
            name: verdict.exceptionName,
            module: verdict.faultingModule,
            offset: verdict.faultingOffset,
            code: verdict.exceptionCode,
          }
        : null,
    missing: verdict.missing,
    game: /fallout/i.test(verdict.game ?? '')
      ? 'fallout4'
      : /skyrim/i.test(verdict.game ?? '')
        ? 'skyrim'
        : null,
    sources: {
      crashLog,
      dump: verdicts.some((v) => v.analyzer === 'minidump'),
      dumpStackWeak: verdicts.some(
        (v) => v.analyzer === 'minidump' && (v.missing ?? []).some((m) => /stack memory|unwind/.test(m)),
      ),
      skyrimDiag: verdicts.some((v) => v.analyzer === 'skyrimdiag-summary'),
      wct: verdicts.some((v) => v.analyzer === 'wct'),
    },
    hang: kind === 'hang' || kind === 'manual' ? { summary: hangSummary(verdict, freeze) } : undefined,
  };
  // A trace or a plain log alone (a manual ETW capture, a Papyrus log) records no crash or freeze:
  // there is nothing to name a cause of, and its own verdict says what it holds.
  const { dump, skyrimDiag, wct } = ctx.sources;
  const evidenceOfAnIncident = !!crashLog || !!dump || !!skyrimDiag || !!wct;
  if (!evidenceOfAnIncident && suspects.length === 0) return { ...verdict, suspects, probableCause: null };
  const probableCause = deriveCause(suspects, ctx);
  // SkyrimDiag's own one-line conclusion stays visible next to ours.
  if (sentence) probableCause.evidence = [...probableCause.evidence, `SkyrimDiag: ${sentence}`];
  if (clean)
    probableCause.evidence = [
      ...probableCause.evidence,
      'SkyrimDiag: the game exited with code 0 after this fault (it may have been handled)',
    ];
  return { ...verdict, suspects, probableCause };
}

function hangSummary(v: Verdict, freeze: IncidentMergeFacts['freeze']): string {
  const state = freeze?.state ? freeze.state.replace(/_/g, ' ') : null;
  const base = v.analyzer === 'wct' ? lowerFirst(v.title) : 'no thread holding up the game belongs to a mod';
  return state ? `${base}; SkyrimDiag says ${state}` : base;
}

function lowerFirst(s: string): string {
  return s && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
