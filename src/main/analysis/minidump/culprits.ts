import type { Finding } from '../../../shared/domain/finding';
import type { ProbableCause, Suspect } from '../../../shared/domain/incident';
import { fileNameOf } from '../../../shared/text';
import type { DumpAnalysis, DumpCulprit, DumpThreadLead } from '../../../shared/domain/minidump';
import type { MdThread, Minidump } from '../../formats/minidump/reader';
import type { ByteSource } from '../../formats/common/byte-source';
import type { CpuContext } from '../../formats/minidump/context';
import { rankSuspects, type CauseInput, type CauseMention } from '../cause/model';
import { deriveCause } from '../cause/probable-cause';
import { classifyModule, isEngineOrSystem } from '../cause/roles';
import type { CrashExplanation } from './explain';
import type { StackFrame } from './stackwalk';
import { walkStack } from './stackwalk';
import type { SymbolStore } from './symbols';

/**
 * A minidump through the shared culprit model (analysis/cause): the walked stack of the
 * crashing thread (or, without an exception, the first thread: the main thread of a hang or
 * manual capture), module paths and versions from the module list, pointers into modules in
 * the registers and on the stack. Context, CFI and frame-pointer frames count as probable;
 * scanned frames as weak.
 */
export function dumpCauseInput(
  md: Minidump,
  crash: CrashExplanation | undefined,
  frames: readonly StackFrame[],
  scanHits: readonly { address: bigint; module: string }[],
  context: CpuContext | undefined,
): CauseInput {
  const pathOf = new Map(md.modules.map((m) => [fileNameOf(m.name).toLowerCase(), m.name]));
  const sp = frames[0]?.sp ?? context?.regs.rsp ?? context?.regs.esp;
  const mentions: CauseMention[] = [];
  for (const h of scanHits) {
    if (sp !== undefined && h.address < sp) continue; // below the stack pointer: stale
    mentions.push({ module: h.module, where: 'stack', depth: sp === undefined ? 0 : Number(h.address - sp) });
  }
  for (const [reg, v] of Object.entries(context?.regs ?? {})) {
    if (/^(rip|eip|rsp|esp|eflags|cs|ds|es|fs|gs|ss)$/.test(reg) || v < 0x10000n) continue;
    const m = md.modules.find((x) => v >= x.base && v < x.base + BigInt(x.size));
    if (m) mentions.push({ module: fileNameOf(m.name), where: 'register', depth: 0 });
  }
  const faulting = crash?.faultingModule?.name ?? null;
  return {
    exception: crash
      ? {
          code: crash.code,
          name: crash.reason,
          module: faulting,
          modulePath: faulting ? (pathOf.get(faulting.toLowerCase()) ?? null) : null,
        }
      : null,
    thread: crash ? 'crash' : 'main',
    frames: frames.length
      ? frames.map((f) => ({
          module: f.module ?? null,
          path: f.module ? (pathOf.get(f.module.toLowerCase()) ?? null) : null,
          symbol: f.function ?? null,
          trust: f.trust === 'scan' ? ('scan' as const) : ('probable' as const),
        }))
      : null,
    modules: md.modules.map((m) => ({
      name: fileNameOf(m.name),
      path: m.name,
      version: m.version?.file ?? null,
    })),
    objects: [],
    mentions,
    external: [],
    findings: [],
  };
}

/** The Crash tab's short list (module, score, evidence lines) from the model's ranking. */
export function toDumpCulprits(suspects: readonly Suspect[]): DumpCulprit[] {
  return suspects.slice(0, 5).map((s) => ({
    module: s.name,
    score: s.score,
    evidence: (s.evidence ?? []).map((e) => (e.direction === 'against' ? `against: ${e.text}` : e.text)),
  }));
}

/** What a dump lacked for a confident answer. */
export function dumpMissing(frames: readonly StackFrame[], thread: MdThread | undefined): string[] {
  // The module list, the thread list and damaged streams are reported by dumpCompleteness.
  const out: string[] = [];
  if (!thread) return out;
  if (thread.stackSize === 0 || frames.length <= 1)
    out.push('stack memory of the thread (frames could not be walked)');
  else if (frames.slice(1).every((f) => f.trust === 'scan'))
    out.push('unwind information (frames found by scanning only)');
  return out;
}

/** Analyses keep the model's input so the cause can be re-derived once the rules have run. */
const INPUTS = new WeakMap<DumpAnalysis, CauseInput>();

export function rememberCauseInput(a: DumpAnalysis, input: CauseInput): void {
  INPUTS.set(a, input);
}

/** Suspects and probable cause of a dump analysis, with the known issues the rules found. */
export function dumpCause(
  a: DumpAnalysis,
  findings: readonly Finding[],
  extra: { crashLog?: boolean } = {},
): { suspects: Suspect[]; probableCause: ProbableCause } {
  const input = INPUTS.get(a);
  const suspects = input
    ? rankSuspects({ ...input, findings: [...findings], known: a.modules.map((m) => m.name) }).map(
        ({ families: _f, ...s }) => s,
      )
    : a.suspects;
  const ex = a.exception;
  const probableCause = deriveCause(suspects, {
    kind: ex ? 'crash' : 'manual',
    findings,
    exception: ex
      ? {
          name: ex.name ?? ex.reason,
          module: ex.faultingModule,
          offset: ex.faultingOffset ? Number.parseInt(ex.faultingOffset, 16) : null,
          code: Number.parseInt(ex.code, 16),
        }
      : null,
    missing: a.missing,
    game: gameOf(a),
    sources: {
      dump: true,
      crashLog: extra.crashLog ? 'crashlogger' : null,
      dumpStackWeak: a.missing.some((m) => /stack memory|unwind/.test(m)),
    },
    hang: ex ? undefined : { summary: threadSummary(a) },
  });
  return { suspects, probableCause };
}

function gameOf(a: DumpAnalysis): 'skyrim' | 'fallout4' | null {
  for (const m of a.modules) {
    const n = m.name.toLowerCase();
    if (n.startsWith('skyrim')) return 'skyrim';
    if (n.startsWith('fallout4')) return 'fallout4';
  }
  return null;
}

function threadSummary(a: DumpAnalysis): string {
  const lead = a.threadLeads.find((t) => t.threadId === a.threads[0]?.id);
  return lead
    ? `the first thread (usually the main thread) is in ${lead.module} and no mod module is clearly to blame`
    : 'no mod module is on the stack of the first thread (usually the main thread)';
}

/** Threads per dump that get a walk of their own (hang and manual captures). */
const MAX_LEAD_THREADS = 64;
const LEAD_FRAMES = 32;

/**
 * For hang and manual dumps: the first third-party module on each thread's walked stack, so
 * a wait chain's lock owner can be named by module (analysis/cause/merge.ts).
 */
export function threadLeads(src: ByteSource, md: Minidump, symbols?: SymbolStore): DumpThreadLead[] {
  const pathOf = new Map(md.modules.map((m) => [fileNameOf(m.name).toLowerCase(), m.name]));
  const out: DumpThreadLead[] = [];
  for (const t of md.threads.slice(0, MAX_LEAD_THREADS)) {
    let frames: StackFrame[];
    try {
      frames = walkStack(src, md, t, t.context, symbols).slice(0, LEAD_FRAMES);
    } catch {
      continue;
    }
    const lead = frames.find((f) => {
      if (!f.module) return false;
      const c = classifyModule(f.module, pathOf.get(f.module.toLowerCase()));
      return !isEngineOrSystem(c) && c.weight !== 'victim';
    });
    if (lead?.module)
      out.push({
        threadId: t.id,
        module: lead.module,
        frameIndex: lead.index,
        trust: lead.trust,
        version: md.modules.find((m) => fileNameOf(m.name) === lead.module)?.version?.file ?? null,
      });
  }
  return out;
}
