/**
 * Minimal crash-log excerpts for rule tests (synthetic: only the lines a rule looks at, in the
 * layout each logger writes). A section is written only when the spec gives it, so the same
 * spec with a section left out is the partial paste that rule must not fire on.
 */
export interface LogSpec {
  logger?: 'crashlogger' | 'netscriptframework' | 'trainwreck' | 'buffout4';
  /** Game build, e.g. "1.6.1170", "1.5.97", "1.10.163" (Fallout 4 when the logger is buffout4). */
  game?: string;
  /** Where it faulted, "SkyrimSE.exe+0CC90EF"; omit for a paste without the exception line. */
  exception?: string;
  code?: string;
  /** Frames as the logger prints them after the address: "Foo.dll+0001234", "SkyrimSE.exe+0A0C98A -> 12345+0x10". */
  frames?: string[];
  /** Crash Logger "RDX: (TESNPC*) ..." lines, NSF "TESNPC(Name: `x`)" entries. */
  objects?: string[];
  registers?: string[];
  stack?: string[];
  modules?: string[];
  /** "Foo.dll v1.2.0" (Crash Logger SKSE PLUGINS / Buffout F4SE PLUGINS). */
  xse?: string[];
  /** Game plugins in load order; an .esl (or a name prefixed "~") is written as a light plugin. */
  plugins?: string[];
  /** SYSTEM SPECS lines: { 'PHYSICAL MEMORY': '15.10 GB/15.90 GB' } (Trainwreck: RAM, PAGE FILE). */
  system?: Record<string, string>;
  /** Buffout 4 settings block: { Patches: { MemoryManager: 'true' } }. */
  settings?: Record<string, Record<string, string>>;
}

const ADDR = (i: number) => `0x7FF6${(0x10000000 + i * 0x1111).toString(16).toUpperCase()}`;

function pluginLines(plugins: string[], light: (i: number) => string, full: (i: number) => string): string[] {
  let f = 0;
  let l = 0;
  return plugins.map((p) => {
    const isLight = p.startsWith('~') || p.toLowerCase().endsWith('.esl');
    const name = p.replace(/^~/, '');
    return isLight ? `${light(l++)} ${name}` : `${full(f++)} ${name}`;
  });
}

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');

function crashLogger(s: LogSpec, fo4: boolean): string[] {
  const out: string[] = fo4
    ? [`Fallout 4 v${s.game ?? '1.10.163'}`, 'Buffout 4 v1.28.6', '']
    : [`Skyrim SSE v${s.game ?? '1.6.1170'}`, 'CrashLoggerSSE v1-15-0-0 Jan  1 2025 00:00:00', ''];
  if (s.exception)
    out.push(
      `Unhandled exception "${s.code ?? 'EXCEPTION_ACCESS_VIOLATION'}" at ${ADDR(0)} ${s.exception}`,
      '',
    );
  if (s.settings) {
    for (const [sec, kv] of Object.entries(s.settings)) {
      out.push(`\t[${sec}]`);
      for (const [k, v] of Object.entries(kv)) out.push(`\t\t${k}: ${v}`);
    }
    out.push('');
  }
  if (s.system) out.push('SYSTEM SPECS:', ...Object.entries(s.system).map(([k, v]) => `\t${k}: ${v}`), '');
  if (s.objects) out.push('POSSIBLE RELEVANT OBJECTS:', ...s.objects.map((o) => `\t${o}`), '');
  if (s.frames)
    out.push(
      'PROBABLE CALL STACK:',
      ...s.frames.map((f, i) => `\t[${String(i).padStart(2)}] ${ADDR(i)} ${f}`),
      '',
    );
  if (s.registers) out.push('REGISTERS:', ...s.registers.map((r) => `\t${r}`), '');
  if (s.stack) out.push('STACK:', ...s.stack.map((r) => `\t${r}`), '');
  if (s.modules) out.push('MODULES:', ...s.modules.map((m, i) => `\t${m} ${ADDR(i + 64)}`), '');
  if (s.xse) out.push(fo4 ? 'F4SE PLUGINS:' : 'SKSE PLUGINS:', ...s.xse.map((x) => `\t${x}`), '');
  if (s.plugins) {
    const lightN = s.plugins.filter((p) => p.startsWith('~') || p.toLowerCase().endsWith('.esl')).length;
    out.push(
      'PLUGINS:',
      `\tLight: ${lightN}\tRegular: ${s.plugins.length - lightN}\tTotal: ${s.plugins.length}`,
      ...pluginLines(
        s.plugins,
        (i) => `\t[FE:${hex(i, 3)}]`,
        (i) => `\t[${hex(i, 2)}]    `,
      ),
      '',
    );
  }
  return out;
}

function nsf(s: LogSpec): string[] {
  const out: string[] = [];
  if (s.exception)
    out.push(`Unhandled native exception occurred at ${ADDR(0)} (${s.exception}) on thread 1234!`, '');
  out.push(
    'FrameworkName: NetScriptFramework',
    'FrameworkVersion: 15',
    'FrameworkArchitecture: x64',
    'GameLibrary: SkyrimSE',
    'GameLibraryVersion: 18',
    'ApplicationName: SkyrimSE.exe',
    `ApplicationVersion: ${s.game ?? '1.5.97'}.0`,
    'VersionInfo: Successfully loaded',
    'Time: 01 Jan 2024 00:00:00.000',
    '',
  );
  if (s.objects)
    out.push(
      `Possible relevant objects (${s.objects.length})`,
      '{',
      ...s.objects.map((o, i) => `  [${String(i * 10).padStart(4)}]    ${o}`),
      '}',
      '',
    );
  if (s.frames) {
    out.push('Probable callstack', '{');
    s.frames.forEach((f, i) => {
      const [where, sym] = f.split(/\s{2,}|\t/, 2);
      out.push(`  [${i}]   ${ADDR(i)}     (${where})          ${sym ?? ''}`);
    });
    out.push('}', '');
  }
  if (s.registers) out.push('Registers', '{', ...s.registers.map((r) => `  ${r}`), '}', '');
  if (s.stack) out.push('Stack', '{', ...s.stack.map((r) => `  ${r}`), '}', '');
  if (s.modules) out.push('Modules', '{', ...s.modules.map((m, i) => `  ${m}: ${ADDR(i + 64)}`), '}', '');
  if (s.plugins)
    out.push(
      `Game plugins (${s.plugins.length})`,
      '{',
      ...pluginLines(
        s.plugins,
        (i) => `  [FE:${hex(i, 3)}]`,
        (i) => `  [${hex(i, 2)}]`,
      ),
      '}',
      '',
    );
  return out;
}

function trainwreck(s: LogSpec): string[] {
  const out = [`SkyrimSE v${s.game ?? '1.6.1170'}`, 'trainwreck v1.4.0', ''];
  if (s.exception)
    out.push(
      `Unhandled exception "${s.code ?? 'EXCEPTION_ACCESS_VIOLATION'}" at ${ADDR(0)} ${s.exception}`,
      '',
    );
  if (s.system) out.push('SYSTEM SPECS:', ...Object.entries(s.system).map(([k, v]) => `    ${k}: ${v}`), '');
  if (s.frames)
    out.push(
      'PROBABLE CALL STACK:',
      ...s.frames.flatMap((f, i) => [`    [${String(i).padEnd(2)}] ${ADDR(i)} ${f}`, '        nop']),
      '',
    );
  if (s.registers) out.push('REGISTERS:', ...s.registers.map((r) => `    ${r}`), '');
  if (s.stack) out.push('STACK:', ...s.stack.map((r) => `    ${r}`), '');
  if (s.modules)
    out.push(
      'MODULES:',
      ...s.modules.flatMap((m, i) => [`    ${m}`, `        Address: ${ADDR(i + 64)}`]),
      '',
    );
  if (s.xse) out.push('SCRIPT EXTENDER PLUGINS:', ...s.xse.map((x) => `    ${x}`), '');
  return out;
}

export function buildLog(s: LogSpec): string {
  const lines =
    s.logger === 'netscriptframework'
      ? nsf(s)
      : s.logger === 'trainwreck'
        ? trainwreck(s)
        : crashLogger(s, s.logger === 'buffout4');
  return `${lines.join('\n')}\n`;
}
