import type { CrashLogSlot, ParsedCrashLog } from '../../../shared/domain/crashlog';
import type { Finding } from '../../../shared/domain/finding';
import type { ProbableCause, Suspect } from '../../../shared/domain/incident';
import { rankSuspects, type CauseInput, type CauseMention } from './model';
import { deriveCause } from './probable-cause';
import { isProxyName } from './roles';

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

/** Windows relocates its own DLLs into the 0x7FF… range; a fixed base below it is a third-party build. */
const ASLR_FLOOR = 0x7ff000000000n;

function hexOf(s: string | null | undefined): bigint | null {
  const m = /^(?:0x)?([0-9a-f]{1,16})$/i.exec(s?.trim() ?? '');
  return m ? BigInt(`0x${m[1]}`) : null;
}

/**
 * Crash logs list modules by name only, so ENB's or ReShade's d3d11.dll/dxgi.dll in the game
 * folder cannot be told from Windows' copy by name. When MODULES lists such a name twice and one
 * copy sits at a fixed low base (0x180000000, a DLL built without ASLR) while the other sits where
 * Windows puts its own, an address tells them apart: the result gives a stand-in path for the copy
 * an address falls in, so the role data reads the low copy as the proxy and the other as Windows'.
 */
export function proxyCopyPaths(
  p: ParsedCrashLog,
): (module: string | null, address: string | null) => string | null {
  const copies = new Map<string, bigint[]>();
  for (const m of p.modules) {
    // The name first: reading every base as a BigInt cost more than the rest (a Nolvus log lists ~500).
    if (!isProxyName(m.name)) continue;
    const base = hexOf(m.base);
    if (base === null) continue;
    const k = m.name.toLowerCase();
    copies.set(k, [...(copies.get(k) ?? []), base]);
  }
  for (const [k, bases] of copies) {
    const split = bases.some((b) => b < ASLR_FLOOR) && bases.some((b) => b >= ASLR_FLOOR);
    if (!split) copies.delete(k);
    else bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return (module, address) => {
    // Most logs have no split copy: then no frame's module or address is read.
    const bases = module && copies.size > 0 ? copies.get(module.toLowerCase()) : undefined;
    if (!bases) return null;
    const at = hexOf(address);
    if (at === null) return null;
    const base = bases.filter((b) => b <= at).pop();
    if (base === undefined) return null;
    return base < ASLR_FLOOR ? `(game folder)\\${module}` : `C:\\Windows\\System32\\${module}`;
  };
}

/** A parsed crash log as the culprit model's input. */
export function crashLogCauseInput(p: ParsedCrashLog, findings: readonly Finding[]): CauseInput {
  const ex = p.exception;
  const copyPath = proxyCopyPaths(p);
  const frames = p.callStack.map((f) => {
    const path = copyPath(f.module, f.address);
    return {
      module: f.module,
      symbol: f.symbol,
      trust: f.source === 'scan' ? ('scan' as const) : ('probable' as const),
      ...(path ? { path } : {}),
    };
  });
  const exPath = ex ? copyPath(ex.module, ex.address) : null;
  return {
    exception: ex
      ? {
          code: ex.code,
          name: ex.name,
          module: ex.module,
          ...(exPath ? { modulePath: exPath } : {}),
          cppModule: p.cppException?.module ?? null,
        }
      : p.cppException?.module
        ? { code: null, name: null, module: null, cppModule: p.cppException.module }
        : null,
    frames: frames.length > 0 ? frames : null,
    modules:
      p.modules.length > 0 || p.xsePlugins.length > 0
        ? p.modules
            .map((m) => ({ name: m.name, version: m.version }))
            .concat(p.xsePlugins.map((x) => ({ name: x.name, version: x.version })))
        : null,
    objects: p.relevantObjects.map((o) => ({ where: o.where, type: o.type, formId: o.formId, file: o.file })),
    // concat, not spreads: the same lists without an iterator step per name (~3,000 on Nolvus).
    mentions: mentionsOf(p.registers, 'register').concat(mentionsOf(p.stack, 'stack')),
    external: [],
    findings: findings.slice(),
    known: p.xsePlugins
      .map((x) => x.name)
      .concat(
        p.modules.map((m) => m.name),
        p.gamePlugins.map((g) => g.name),
      ),
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
