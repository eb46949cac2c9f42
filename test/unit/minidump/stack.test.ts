import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeDumpFile, memoryWindow, threadStack } from '../../../src/main/analysis/minidump/analyze-dump';
import {
  cfiRulesAt,
  lookup,
  parseSymbolFile,
  stackWinDetail,
} from '../../../src/main/analysis/minidump/symbols';
import { evalExpr, evalProgram, parseCfiRules } from '../../../src/main/analysis/minidump/postfix';
import { moduleRole } from '../../../src/main/analysis/minidump/module-roles';
import { DumpAnalysis } from '../../../src/shared/domain/minidump';
import { fixturesAvailable, real } from '../../helpers/fixtures';

interface TruthFrame {
  frame: number;
  module: string;
  function: string;
  file: string;
  line: string;
  offset: string;
}
interface Truth {
  dump_file: string;
  crashing_thread_frame0?: TruthFrame;
  crashing_thread_frames_top5?: TruthFrame[];
}

/** Breakpad's machine-readable offset: from the line, else the function, else the module base. */
function breakpadOffset(f: DumpAnalysis['stack'][number]): string | null {
  return f.file ? f.lineOffset : f.function ? f.functionOffset : f.moduleOffset;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('stack walk vs Breakpad minidump_stackwalk', () => {
  const symbols = fixturesAvailable() ? [real('minidumps', 'symbols')] : [];
  it('minidump2 with symbols: frames 0-3 match Breakpad (function, file, line, offset) and trust', () => {
    const t = JSON.parse(readFileSync(real('minidumps', 'minidump2.truth.json'), 'utf8')) as Truth;
    const a = analyzeDumpFile(real('minidumps', 'minidump2.dmp'), { symbols });
    expect(DumpAnalysis.safeParse(a).success).toBe(true);
    for (const tf of t.crashing_thread_frames_top5 ?? []) {
      const f = a.stack[tf.frame];
      expect(f?.module).toBe(tf.module);
      expect(f?.function ?? '').toBe(tf.function);
      expect(f?.file ?? '').toBe(tf.file);
      expect(f?.line === null || f?.line === undefined ? '' : String(f.line)).toBe(tf.line);
      expect(f && breakpadOffset(f)).toBe(tf.offset);
    }
    // Breakpad: "given as instruction pointer in context", then "call frame info" (STACK WIN) for 1-3.
    expect(a.stack.slice(0, 4).map((f) => f.trust)).toEqual(['context', 'cfi', 'cfi', 'cfi']);
    expect(a.stack).toHaveLength(4);
    expect(a.bucketTitle).toBe(
      "EXCEPTION_ACCESS_VIOLATION in test_app.exe!`anonymous namespace'::CrashFunction",
    );
    expect(a.culprits[0]?.module).toBe('test_app.exe');
    expect(a.culprits[0]?.evidence).toContain('owns the faulting instruction');
    expect(a.modules.find((m) => m.name === 'test_app.exe')?.debugId).toBe(
      '5A9832E5287241C1838ED98914E9B7FF1',
    );
  });

  const truths = fixturesAvailable()
    ? readdirSync(real('minidumps')).filter((f) => f.endsWith('.truth.json'))
    : [];
  for (const name of truths) {
    it(`${name}: frame 0 module and offset without symbols`, () => {
      const t = JSON.parse(readFileSync(real('minidumps', name), 'utf8')) as Truth;
      const f0 = t.crashing_thread_frame0;
      if (!f0) return;
      const a = analyzeDumpFile(real('minidumps', t.dump_file));
      expect(a.stack[0]?.trust).toBe('context');
      expect(a.stack[0]?.module).toBe(f0.module);
      if (f0.function === '') expect(a.stack[0]?.moduleOffset).toBe(f0.offset);
      // The bucket never contains absolute addresses, so two machines with different ASLR agree.
      expect(a.signature).not.toMatch(/0x[0-9a-f]{9,}/);
      expect(a.culprits.length).toBeLessThanOrEqual(5);
    });
  }

  const machine = fixturesAvailable()
    ? readdirSync(real('minidumps')).filter((f) => f.endsWith('.stackwalk.machine_readable.out'))
    : [];
  for (const out of machine) {
    it(`${out}: crashing-thread top 10 frames agree with Breakpad (module + offset)`, () => {
      const lines = readFileSync(real('minidumps', out), 'utf8').split('\n');
      const crashed = lines.find((l) => l.startsWith('Crash|'))?.split('|')[3];
      if (crashed === undefined || crashed === '') return;
      const bp = lines.filter((l) => l.startsWith(`${crashed}|`)).map((l) => l.split('|'));
      const dmp = out.replace('.stackwalk.machine_readable.out', '.dmp');
      const a = analyzeDumpFile(real('minidumps', dmp), dmp === 'minidump2.dmp' ? { symbols } : {});
      for (const b of bp.slice(0, 10)) {
        const f = a.stack[Number(b[1])];
        expect(f?.module ?? '').toBe(b[2]);
        if (!b[3]) expect(f?.moduleOffset).toBe(b[6]);
        else expect(f?.function).toBe(b[3]);
      }
    });
  }

  it('any thread on demand, and a hex memory window from its stack', () => {
    const path = real('minidumps', 'thread_name_list.dmp');
    const a = analyzeDumpFile(path);
    const other = a.threads.find((t) => !t.crashed);
    expect(other).toBeDefined();
    const frames = threadStack(path, other?.index ?? 0);
    expect(frames[0]?.trust).toBe('context');
    const w = memoryWindow(path, BigInt(other?.stackStart ?? '0'), 64);
    expect(w.bytes).toHaveLength(128);
    expect(w.regionStart).toBe(other?.stackStart);
  });
});

describe('symbol files and postfix programs (synthetic .sym text)', () => {
  const sym = parseSymbolFile(
    [
      'MODULE windows x86 ABC 1 t.pdb',
      'FILE 1 c:\\t.cc',
      'FUNC 1000 20 0 f',
      '1000 10 7 1',
      '1010 10 8 1',
      'PUBLIC 2000 0 pub',
      'STACK WIN 4 1000 20 3 0 8 0 e0 0 1 $T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =',
    ].join('\n'),
  );
  it('FUNC/line then PUBLIC lookup', () => {
    expect(lookup(sym, 0x1012)).toEqual({
      function: 'f',
      functionOffset: 0x12,
      file: 'c:\\t.cc',
      line: 8,
      lineOffset: 2,
    });
    expect(lookup(sym, 0x2004)).toEqual({ function: 'pub', functionOffset: 4 });
    expect(stackWinDetail(sym.win[0] ?? { type: 0, addr: 0, size: 0, raw: '' }).program).toMatch(
      /^\$T0 \$ebp =/,
    );
  });
  it('evaluates a STACK WIN program through a memory callback', () => {
    const vars = new Map<string, bigint>([
      ['$ebp', 0x100n],
      ['$esp', 0xf0n],
      ['$eip', 1n],
    ]);
    const mem = new Map<bigint, bigint>([
      [0x100n, 0x200n],
      [0x104n, 0x401000n],
    ]);
    expect(
      evalProgram(
        stackWinDetail(sym.win[0] ?? { type: 0, addr: 0, size: 0, raw: '' }).program ?? '',
        vars,
        (a) => mem.get(a),
        0xffffffffn,
      ),
    ).toBe(true);
    expect(vars.get('$eip')).toBe(0x401000n);
    expect(vars.get('$ebp')).toBe(0x200n);
    expect(vars.get('$esp')).toBe(0x108n);
    expect(evalProgram('$x 1 0 / =', new Map(), () => undefined, 0xffn)).toBe(false);
  });
  it('evaluates programs with "=" glued to the next token, as MSVC 2010 LTO builds wrote them', () => {
    // The shape of a real record (symbolic's crash.sym, exercised end to end in the agreement test).
    const vars = new Map<string, bigint>([
      ['$ebp', 0x1000n],
      ['$esp', 0xf00n],
    ]);
    const mem = new Map<bigint, bigint>([
      [0x10ccn, 0x2000n],
      [0x10d0n, 0x401234n],
    ]);
    const prog = '$T0 $ebp 204 + =$eip $T0 4 + ^ =$ebp $T0 ^ = $esp $T0 8 + =';
    expect(evalProgram(prog, vars, (a) => mem.get(a), 0xffffffffn)).toBe(true);
    expect([vars.get('$eip'), vars.get('$ebp'), vars.get('$esp')]).toEqual([0x401234n, 0x2000n, 0x10d4n]);
  });
  it('follows Breakpad: literals before names, only $names assigned, nothing left on the stack', () => {
    const deref = (): bigint | undefined => undefined;
    const m = 0xffffffffn;
    expect(evalExpr('-4', new Map(), deref, m)).toBe(0xfffffffcn);
    expect(evalExpr('$x 8 @', new Map([['$x', 0x1237n]]), deref, m)).toBe(0x1230n);
    expect(evalExpr('0x10', new Map(), deref, m)).toBeUndefined();
    expect(evalProgram('.x 1 =', new Map(), deref, m)).toBe(false);
    expect(evalProgram('$x 1 = 5', new Map(), deref, m)).toBe(false);
    expect(evalProgram('$x $y =', new Map(), deref, m)).toBe(false);
  });
  it('applies STACK CFI INIT + delta rules (amd64 style) to recover the caller', () => {
    const sym = parseSymbolFile(
      [
        'MODULE windows x86_64 ABC 1 t.pdb',
        'STACK CFI INIT 1000 40 .cfa: $rsp 8 + .ra: .cfa -8 + ^',
        'STACK CFI 1004 .cfa: $rsp 48 + $rbx: .cfa -16 + ^',
      ].join('\n'),
    );
    expect(sym.cfiDeltas).toHaveLength(1);
    expect(cfiRulesAt(sym, 0x1002)).toHaveLength(1);
    const rules = new Map<string, string>();
    for (const r of cfiRulesAt(sym, 0x1010) ?? []) parseCfiRules(r, rules);
    const mask = 0xffffffffffffffffn;
    const mem = new Map<bigint, bigint>([
      [0x1028n, 0x140001000n],
      [0x1020n, 0x77n],
    ]);
    const vars = new Map<string, bigint>([['$rsp', 0x1000n]]);
    const cfa = evalExpr(rules.get('.cfa') ?? '', vars, (a) => mem.get(a), mask);
    expect(cfa).toBe(0x1030n);
    vars.set('.cfa', cfa ?? 0n);
    expect(evalExpr(rules.get('.ra') ?? '', vars, (a) => mem.get(a), mask)).toBe(0x140001000n);
    expect(evalExpr(rules.get('$rbx') ?? '', vars, (a) => mem.get(a), mask)).toBe(0x77n);
  });
  it('module roles come from resources/modules lists', () => {
    expect(moduleRole('NTDLL.DLL')).toBe('system');
    expect(moduleRole('api-ms-win-core-synch-l1-2-0.dll')).toBe('system');
    expect(moduleRole('SkyrimSE.exe')).toBe('game');
    expect(moduleRole('EngineFixes.dll')).toBe('other');
  });
});
