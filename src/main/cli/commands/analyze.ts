import { cached } from '../../formats/common/block-cache';
import { withFileSource } from '../../formats/common/byte-source';
import { ParseError } from '../../formats/common/parse-error';
import { readMinidump, type Minidump } from '../../formats/minidump/reader';
import { analyzeMinidump } from '../../analysis/minidump/analyze-dump';
import type { DumpAnalysis } from '../../../shared/domain/minidump';
import { resolve } from 'node:path';
import { flagString } from '../args';
import { optimizeOnlyWhatStaysHot } from '../v8-tuning';
import { EXIT, helpText, UsageError, type CliCommand, type CliIo } from '../types';
import { analyzeCrashLogFile } from '../../analysis/crashlog/crashlog-analyzer';
import { runRules } from '../../analysis/rules/engine';
import { bundledRuleSet, type ActiveRules } from '../../analysis/rules/bundled-rules';
import { subjectFromDump } from '../../analysis/rules/subject';
import type { CrashLogAnalysis } from '../../../shared/domain/crashlog';
import type { Finding } from '../../../shared/domain/finding';
import { formatFindings } from '../format-findings';
import { dumpCause } from '../../analysis/minidump/culprits';
import type { ProbableCause, Suspect } from '../../../shared/domain/incident';
import { enrichCause, enrichFindings, withModsByName } from '../../analysis/mods/enrich';
import type { ModIndex } from '../../analysis/mods/mod-index';
import { describeModFile } from '../../../shared/domain/mod-label';
import { BadInputError } from '../types';

/** JSON cannot carry bigint; addresses are shown as hex like Breakpad does. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2);
}

/**
 * A crash log's analysis holds no bigint (it is read from text): without the replacer, which V8
 * calls for every key, a 450 KB result is written in ~2 ms instead of ~17 ms in a one-shot run
 * (issue 15). Should one ever hold a bigint, stringify throws and the replacer handles it.
 */
function logJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return toJson(value);
  }
}

function isMinidump(path: string): boolean {
  // Only the magic is read so a multi-GB dump is never loaded to pick a parser.
  return withFileSource(
    path,
    (src) => src.size >= 4 && src.read(0, 4, 'magic').toString('latin1') === 'MDMP',
  );
}

async function analyzeDump(
  path: string,
  json: boolean,
  io: CliIo,
  symbols: string[],
  rules: ActiveRules,
  mods: ModIndex | null,
): Promise<number> {
  let md: Minidump;
  let analysis: DumpAnalysis;
  try {
    ({ md, analysis } = withFileSource(path, (file) => {
      const src = cached(file);
      const m = readMinidump(src);
      return { md: m, analysis: analyzeMinidump(src, m, { symbols }) };
    }));
  } catch (e) {
    if (e instanceof ParseError) {
      io.err(`error: ${path} cannot be read as a minidump: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
  const findings = enrichFindings(runRules(rules.compiled, subjectFromDump(analysis)), mods);
  const cause = dumpCause(analysis, findings);
  const result = {
    ...analysis,
    ...cause,
    culprits: withModsByName(analysis.culprits, (c) => c.module, mods),
    suspects: withModsByName(cause.suspects, (x) => x.name, mods),
    probableCause: enrichCause(cause.probableCause, mods),
    findings,
  };
  if (json) io.out(toJson(result) + '\n');
  else io.out(formatText(md, result, findings));
  if (md.problems.length > 0) {
    // Still analysed (above); the damage is said once, in words.
    io.err(
      `problem: the dump is damaged; what could be read is shown${json ? ' (problems in the JSON)' : ''}\n`,
    );
    for (const p of md.problems)
      // The message ends with "(file, stream, offset)"; the line already says stream and offset.
      io.err(
        `  ${p.stream} at offset 0x${p.offset.toString(16)}: ${p.message.replace(/ \([^()]*\)$/, '')}\n`,
      );
  }
  // Damaged streams are reported; only a dump with nothing to analyse is bad input.
  if (!analysis.exception && md.threads.length === 0 && md.modules.length === 0) return EXIT.badInput;
  return findings.length > 0 ? EXIT.findings : EXIT.ok;
}

function formatText(md: Minidump, a: DumpAnalysis, findings: readonly Finding[]): string {
  const ex = md.exception;
  const lines = [
    ...causeLines(a.probableCause, a.missing),
    `${a.system?.os ?? '?'} ${a.system?.osVersion ?? ''} ${a.system?.cpu ?? '?'}; ` +
      `${md.threads.length} threads, ${md.modules.length} modules`,
    ex
      ? `exception 0x${ex.code.toString(16)} at 0x${ex.address.toString(16)} thread 0x${ex.threadId.toString(16)}`
      : 'no exception stream',
    `verdict: ${a.verdict}`,
    `bucket: ${a.bucketTitle}`,
    `signature: ${a.signature}`,
  ];
  for (const s of a.suspects.slice(0, 5)) lines.push(suspectLine(s));
  lines.push(...formatFindings(findings));
  lines.push('crashing thread stack:');
  for (const f of a.stack.slice(0, 20)) {
    const where = f.function
      ? `${f.module ?? '?'}!${f.function}${f.file ? ` [${f.file} : ${f.line ?? '?'} + ${f.lineOffset ?? '0x0'}]` : ` + ${f.functionOffset ?? '0x0'}`}`
      : f.module
        ? `${f.module} + ${f.moduleOffset ?? '0x0'}`
        : f.ip;
    lines.push(` ${String(f.index).padStart(2)}  ${where}  (${f.trust})`);
  }
  return lines.join('\n') + '\n';
}

/** Problems that mean the log is damaged (like a dump's bad streams), not merely unusual. */
const DAMAGE = new Set(['truncated', 'no_exception', 'no_call_stack', 'nul_bytes', 'too_large']);

/** The headline first, then what the input lacked (the answer a player reads before anything else). */
function causeLines(cause: ProbableCause | null, missing: readonly string[]): string[] {
  const out = cause ? [cause.headline] : [];
  if (missing.length) out.push(`incomplete: no ${missing.join('; no ')}`);
  return out;
}

function suspectLine(s: Suspect): string {
  const who = s.mod ? describeModFile(s.name, s.mod) : s.name;
  return `suspect: ${who}${s.version ? ` v${s.version}` : ''} (${s.role ?? 'unknown'}, ${s.score}): ${s.reason}`;
}

function formatLog(a: CrashLogAnalysis): string {
  const p = a.parsed;
  const v = a.verdict;
  const ex = p.exception;
  const lines = [
    ...causeLines(a.probableCause, a.missing),
    `${p.loggerHeader ?? p.logger}${p.game ? ` · ${p.game} ${p.gameVersion ?? ''}` : ''} · ${p.encoding}, ${p.lineCount} lines`,
    `verdict: ${v.title}`,
    ex
      ? `exception: ${ex.name ?? 'unnamed'} at ${ex.address ?? '?'}${ex.module ? ` in ${ex.module}+${ex.offset ?? ''}` : ''}${ex.symbol ? ` (${ex.symbol})` : ''}`
      : 'exception: none found',
    `signature: ${v.signature ?? '-'}`,
    `${p.callStack.length} frames, ${p.modules.length} modules, ${p.xsePlugins.length} xSE plugins, ${p.gamePlugins.length} game plugins, ${p.relevantObjects.length} relevant objects`,
  ];
  for (const s of a.culprits.slice(0, 8)) lines.push(suspectLine(s));
  lines.push(...formatFindings(a.findings));
  lines.push('probable call stack:');
  for (const f of p.callStack.slice(0, 15))
    lines.push(
      `  ${String(f.index).padStart(2)}  ${f.module ? `${f.module}+${f.offset ?? ''}` : (f.address ?? '?')}${f.symbol ? `  ${f.symbol}` : ''}`,
    );
  return lines.join('\n') + '\n';
}

async function analyzeLog(
  path: string,
  json: boolean,
  io: CliIo,
  rules: ActiveRules,
  mods: ModIndex | null,
): Promise<number> {
  let a: CrashLogAnalysis;
  try {
    a = await analyzeCrashLogFile(path, rules);
    a = {
      ...a,
      suspects: withModsByName(a.suspects, (x) => x.name, mods),
      culprits: withModsByName(a.culprits, (x) => x.name, mods),
      probableCause: enrichCause(a.probableCause, mods),
      findings: enrichFindings(a.findings, mods),
    };
  } catch (e) {
    if (e instanceof ParseError) {
      io.err(`${path}: neither a minidump nor a recognised crash log (${e.message})\n`);
      return EXIT.badInput;
    }
    throw e;
  }
  io.out(json ? `${logJson(a)}\n` : formatLog(a));
  const damage = a.parsed.problems.filter((p) => DAMAGE.has(p.code));
  if (damage.length > 0) {
    io.err(`problem: the log is damaged; what could be read is shown\n`);
    for (const p of damage) io.err(`  ${p.line !== null ? `line ${p.line}: ` : ''}${p.message}\n`);
  }
  // A partial log is analysed and marked incomplete; only a log with nothing usable is bad input.
  const p = a.parsed;
  const usable = !!p.exception || p.callStack.length > 0 || p.modules.length > 0 || p.gamePlugins.length > 0;
  if (!usable) return EXIT.badInput;
  return a.findings.length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Dispatch by file type: a minidump (by its magic) or a crash log. Exit codes as everywhere:
 * 0 analysed and no known issue matched, 1 known-issue findings, 2 nothing usable in the input.
 * Partial input is analysed: `incomplete: true` and `missing` in --json say what it lacked.
 */
export async function analyzeTarget(
  path: string,
  json: boolean,
  io: CliIo,
  symbols: string[] = [],
  ruleDirs: string[] = [],
  mods: ModIndex | null = null,
): Promise<number> {
  const rules = ruleDirs.length > 0 ? await withUserRules(ruleDirs, io) : bundledRuleSet();
  if (isMinidump(path)) return analyzeDump(path, json, io, symbols, rules, mods);
  return analyzeLog(path, json, io, rules, mods);
}

/** `--setup <instance folder> [--profile name]`: the mod index suspects are named from. */
async function setupIndex(
  dir: string | undefined,
  profile: string | undefined,
  io: CliIo,
): Promise<ModIndex | null> {
  if (!dir) return null;
  // The setup readers (and their schemas) load only for a run with --setup.
  const { loadSetupIndex } = await import('../../sources/setup/setup-index');
  const loaded = await loadSetupIndex(dir, profile);
  if (!loaded)
    throw new BadInputError(
      `${dir}: not a Mod Organizer 2 instance or Vortex folder${profile ? `, or no profile "${profile}"` : ''}`,
    );
  for (const p of [...loaded.instance.problems, ...loaded.profile.problems].slice(0, 20))
    io.err(`warning: ${p.path}: ${p.message}\n`);
  return loaded.index;
}

async function withUserRules(dirs: string[], io: CliIo): Promise<ActiveRules> {
  // User rule files are validated with zod; only a run with --rules pays for loading it.
  const { buildRuleSet, loadUserRules } = await import('../../analysis/rules/registry');
  const loaded = dirs.map((d) => loadUserRules(d));
  const user = { rules: loaded.flatMap((l) => l.rules), sets: loaded.flatMap((l) => l.sets) };
  for (const s of user.sets) if (s.error) io.err(`warning: rule file ${s.path}: ${s.error}\n`);
  return buildRuleSet(user);
}

const USAGE =
  'analyze <file.dmp | crash log> [--symbols dir] [--rules dir] [--setup folder [--profile name]] [--json]';

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'Analyze a minidump or a crash log (Crash Logger, Buffout 4, NetScriptFramework, Trainwreck)',
  usage: USAGE,
  help: helpText({
    usage: USAGE,
    about:
      'Reads one minidump (by its MDMP magic) or one crash log, prints the verdict, suspects, the\n' +
      'known issues the rules recognise and the crashing stack. Nothing is indexed.',
    options: [
      ['--symbols dir', 'Breakpad .sym files (module/id/module.sym) to name functions in the stack'],
      ['--rules dir', 'also use the known-issue rule files (*.json) in this folder'],
      ['--setup folder', 'an MO2 instance or Vortex folder: name the mod behind each DLL and plugin'],
      ['--profile name', "with --setup: the MO2 profile (default: the instance's selected one)"],
      ['--json', 'print one JSON document (analysis, findings) on stdout and nothing else'],
    ],
    examples: [
      'ctd-workbench analyze SkyrimDiag_Crash_20260318_200000_500.dmp',
      'ctd-workbench analyze crash-2024-04-30-11-44-59.log --json > verdict.json',
      'ctd-workbench analyze game.dmp --symbols ./symbols',
    ],
    exits: [
      ' 0  analysed; no known-issue rule matched',
      ' 1  analysed; known issues found (listed under "findings")',
      ' 2  missing, unreadable or damaged input (what could be read is still printed)',
    ],
  }),
  valueFlags: ['symbols', 'rules', 'setup', 'profile'],
  booleanFlags: ['json'],
  async run(args, io) {
    const path = args.positionals[0];
    if (path === undefined) throw new UsageError('a minidump or crash log file is required');
    optimizeOnlyWhatStaysHot();
    const sym = flagString(args, 'symbols');
    const rules = flagString(args, 'rules');
    const mods = await setupIndex(flagString(args, 'setup'), flagString(args, 'profile'), io);
    return analyzeTarget(
      resolve(io.cwd, path),
      args.flags.json === true,
      io,
      sym !== undefined ? [resolve(io.cwd, sym)] : [],
      rules !== undefined ? [resolve(io.cwd, rules)] : [],
      mods,
    );
  },
};
