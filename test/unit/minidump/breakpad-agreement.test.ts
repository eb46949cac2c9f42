import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { analyzeMinidump } from '../../../src/main/analysis/minidump/analyze-dump';
import { walkStack } from '../../../src/main/analysis/minidump/stackwalk';
import { SymbolStore } from '../../../src/main/analysis/minidump/symbols';
import type { DumpAnalysis } from '../../../src/shared/domain/minidump';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { FOUND_BY, readBreakpad } from './breakpad-output';

/**
 * Frame-for-frame agreement with Breakpad's minidump_stackwalk (the build the npm `minidump`
 * package ships, whose output for the shared fixtures is byte-identical to theirs): for every
 * real dump we hold, the first ten frames of the crashing thread (thread 0 when nothing crashed)
 * must name the same module, function, source line and offset, be found the same way, recover
 * the same registers, and there must be exactly as many of them. Crash reason and address too.
 */
const EXTRA = join(__dirname, '..', '..', 'fixtures-extra');
const EXTRA_DUMPS = join(EXTRA, 'minidumps');

interface Case {
  name: string;
  dump: string;
  machine: string;
  human: string;
  symbols: string[];
}

function extraCases(): Case[] {
  const out: Case[] = [];
  for (const f of readdirSync(EXTRA_DUMPS).filter((x) => x.endsWith('.dmp'))) {
    const base = join(EXTRA_DUMPS, f.slice(0, -4));
    for (const [tag, symbols] of [
      ['', []],
      ['.symbols', [join(EXTRA_DUMPS, 'symbols')]],
    ] as const) {
      const machine = `${base}${tag}.stackwalk.machine_readable.out`;
      if (existsSync(machine))
        out.push({
          name: `${f}${tag ? ' with symbols' : ''}`,
          dump: `${base}.dmp`,
          machine,
          human: `${base}${tag}.stackwalk.out`,
          symbols: [...symbols],
        });
    }
  }
  return out;
}

function sharedCases(): Case[] {
  if (!fixturesAvailable()) return [];
  const dir = real('minidumps');
  const out: Case[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.stackwalk.machine_readable.out'))) {
    const stem = f.replace('.stackwalk.machine_readable.out', '');
    // Breakpad's own minidump2 outputs were made with its symbols; ours adds the run without.
    const withSymbols = stem === 'minidump2';
    out.push({
      name: `${stem}.dmp (shared${withSymbols ? ', with symbols' : ''})`,
      dump: join(dir, `${stem}.dmp`),
      machine: join(dir, f),
      human: join(dir, `${stem}.stackwalk.out`),
      symbols: withSymbols ? [join(dir, 'symbols')] : [],
    });
    const extra = join(EXTRA, 'breakpad-for-shared', `${stem}.stackwalk.machine_readable.out`);
    if (existsSync(extra))
      out.push({
        name: `${stem}.dmp (shared, no symbols)`,
        dump: join(dir, `${stem}.dmp`),
        machine: extra,
        human: extra.replace('.machine_readable.out', '.out'),
        symbols: [],
      });
  }
  return out;
}

/** Breakpad's machine-readable offset for one of our frames. */
function offsetOf(f: DumpAnalysis['stack'][number]): string | null {
  return f.file ? f.lineOffset : f.function ? f.functionOffset : f.module ? f.moduleOffset : f.ip;
}

function analyze(c: Case): DumpAnalysis {
  return withFileSource(c.dump, (src) => analyzeMinidump(src, readMinidump(src), { symbols: c.symbols }));
}

function registersOf(c: Case, index: number): Record<string, bigint> {
  return withFileSource(c.dump, (src) => {
    const md = readMinidump(src);
    const a = analyzeMinidump(src, md, { symbols: c.symbols });
    const t = md.threads[a.exception?.threadIndex ?? 0];
    if (!t) return {};
    const ctx = a.exception ? (md.exception?.context ?? t.context) : t.context;
    const store = c.symbols.length ? new SymbolStore(c.symbols) : undefined;
    return walkStack(src, md, t, ctx, store)[index]?.regs ?? {};
  });
}

const cases = [...sharedCases(), ...extraCases()];

describe('stack walks agree with Breakpad minidump_stackwalk', () => {
  it('has real dumps to compare, shared and in test/fixtures-extra', () => {
    expect(extraCases().length).toBeGreaterThanOrEqual(19);
    expect(cases.length).toBeGreaterThan(extraCases().length);
  });

  for (const c of cases) {
    const bp = readBreakpad(c.machine, c.human);
    if (bp.frames.length === 0) continue;
    describe(c.name, () => {
      const a = analyze(c);

      it('crash reason, address and thread', () => {
        if (bp.crashReason === 'No crash') {
          expect(a.exception).toBeNull();
          return;
        }
        expect(a.exception?.reason).toBe(bp.crashReason);
        expect(a.exception?.crashAddress).toBe(bp.crashAddress);
        expect(a.exception?.threadIndex).toBe(bp.thread);
      });

      it('first 10 frames: same count, module, function, file, line, offset and trust', () => {
        const want = bp.frames.slice(0, 10);
        const ours = a.stack.slice(0, 10).map((f) => ({
          index: f.index,
          module: f.module ?? '',
          function: f.function ?? '',
          file: f.file ?? '',
          line: f.line === null ? '' : String(f.line),
          offset: offsetOf(f),
          trust: f.trust,
        }));
        expect(ours).toEqual(
          want.map((b) => ({
            index: b.index,
            module: b.module,
            function: b.function,
            file: b.file,
            line: b.line,
            offset: b.offset,
            trust: b.foundBy === undefined ? expect.any(String) : FOUND_BY[b.foundBy],
          })),
        );
      });

      it('recovers the registers Breakpad recovers for each caller frame', () => {
        for (const b of bp.frames.slice(1, 10)) {
          const regs = registersOf(c, b.index);
          for (const [name, value] of Object.entries(b.regs ?? {})) {
            if (name === 'efl') continue;
            expect(`${b.index}:${name}=0x${(regs[name] ?? -1n).toString(16)}`).toBe(
              `${b.index}:${name}=0x${BigInt(value).toString(16)}`,
            );
          }
        }
      });
    });
  }
});

describe('a dump Breakpad cannot walk (x86 context with XSAVE state)', () => {
  // minidump_stackwalk 0.26 rejects the 1147-byte x86 context ("size mismatch", see the .err
  // file next to the dump) and prints no frames; we read the 716-byte prefix every x86 CONTEXT
  // starts with, so the thread still gets its registers and a walk.
  it('still yields thread 0 with its context frame in ntdll', () => {
    const c = extraCases().find((x) => x.name === 'tiny-exe-with-cet-xsave-x86.dmp');
    expect(c).toBeDefined();
    const a = analyze(c!);
    expect(a.exception).toBeNull();
    expect(a.stack[0]).toMatchObject({ trust: 'context', module: 'ntdll.dll' });
    expect(a.system?.cpu).toBe('x86');
  });
});

describe('verdict wording on the extra dumps', () => {
  const verdict = (name: string): string => analyze(extraCases().find((c) => c.name === name)!).verdict;
  it('says where a fault outside any module happened, without "in"', () => {
    expect(verdict('exec_av_on_stack.dmp')).toBe(
      'EXCEPTION_ACCESS_VIOLATION executing 0x3df944 on the stack',
    );
  });
  it('names a fast-fail by its subcode, as Breakpad does', () => {
    expect(verdict('tiny-exe-fastfail.dmp')).toBe('FAST_FAIL_FATAL_APP_EXIT in tiny.exe+0x1af42');
  });
  it('keeps only the low 32 bits of an x86 crash address', () => {
    expect(verdict('minidump_32bit_crash_addr.dmp')).toBe(
      'EXCEPTION_ACCESS_VIOLATION writing 0x45 in test_app.exe+0x429e',
    );
  });
});
