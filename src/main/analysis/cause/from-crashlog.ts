import type { CrashLogSlot, ParsedCrashLog } from '../../../shared/domain/crashlog';
import type { Finding } from '../../../shared/domain/finding';
import type { ProbableCause, Suspect } from '../../../shared/domain/incident';
import { rankSuspects, type CauseInput, type CauseMention } from './model';
import { deriveCause } from './probable-cause';

/** Module names before each ".dll+"/".exe+" of an annotation ("(void* -> Foo Bar.dll+1A2B)"). */
export function modulePointers(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const ext of ['.dll+', '.exe+']) {
    for (let at = lower.indexOf(ext); at >= 0; at = lower.indexOf(ext, at + ext.length)) {
      let start = at;
      // Back to the opening "(", an arrow, a tab or a double space: names may hold single spaces.
      while (start > 0 && at - start < 80) {
        const ch = text[start - 1]!;
        if (ch === '(' || ch === '>' || ch === '\t' || ch === '"' || ch === '`') break;
        if (ch === ' ' && (text[start - 2] === ' ' || text[start - 2] === '>')) break;
        start--;
      }
      const name = text.slice(start, at + ext.length - 1).trim();
      if (name.length > 4 && !/^[.\s]/.test(name)) out.push(name);
    }
  }
  return out;
}

function mentionsOf(slots: readonly CrashLogSlot[], where: CauseMention['where']): CauseMention[] {
  const out: CauseMention[] = [];
  for (const s of slots) {
    const text = s.annotation ?? '';
    if (!text.includes('+')) continue;
    const depth =
      where === 'stack' ? Number.parseInt(/\+([0-9A-Fa-f]+)/.exec(s.name)?.[1] ?? '0', 16) || 0 : 0;
    const seen = new Set<string>();
    for (const name of modulePointers(text)) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ module: name, where, depth });
    }
  }
  return out;
}

/** A parsed crash log as the culprit model's input. */
export function crashLogCauseInput(p: ParsedCrashLog, findings: readonly Finding[]): CauseInput {
  const ex = p.exception;
  const frames = p.callStack.map((f) => ({
    module: f.module,
    symbol: f.symbol,
    trust: f.source === 'scan' ? ('scan' as const) : ('probable' as const),
  }));
  return {
    exception: ex
      ? { code: ex.code, name: ex.name, module: ex.module, cppModule: p.cppException?.module ?? null }
      : p.cppException?.module
        ? { code: null, name: null, module: null, cppModule: p.cppException.module }
        : null,
    frames: frames.length > 0 ? frames : null,
    modules:
      p.modules.length > 0 || p.xsePlugins.length > 0
        ? [
            ...p.modules.map((m) => ({ name: m.name, version: m.version })),
            ...p.xsePlugins.map((x) => ({ name: x.name, version: x.version })),
          ]
        : null,
    objects: p.relevantObjects.map((o) => ({ where: o.where, type: o.type, formId: o.formId, file: o.file })),
    mentions: [...mentionsOf(p.registers, 'register'), ...mentionsOf(p.stack, 'stack')],
    external: [],
    findings: [...findings],
    known: [
      ...p.xsePlugins.map((x) => x.name),
      ...p.modules.map((m) => m.name),
      ...p.gamePlugins.map((g) => g.name),
    ],
  };
}

export function crashLogCause(
  p: ParsedCrashLog,
  findings: readonly Finding[],
): { suspects: Suspect[]; probableCause: ProbableCause } {
  const suspects = rankSuspects(crashLogCauseInput(p, findings)).map(({ families: _f, ...s }) => s);
  const offset = p.exception?.offset ? Number.parseInt(p.exception.offset, 16) : null;
  const probableCause = deriveCause(suspects, {
    kind: 'crash',
    findings,
    exception: p.exception
      ? {
          name: p.exception.name,
          module: p.exception.module,
          offset: Number.isFinite(offset) ? offset : null,
          code: p.exception.code,
        }
      : null,
    missing: p.missing,
    game: p.gameFamily,
    sources: { crashLog: p.logger },
  });
  return { suspects, probableCause };
}
