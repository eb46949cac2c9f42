import { withFileSource } from '../../formats/common/byte-source';
import { ParseError } from '../../formats/common/parse-error';
import { resolve } from 'node:path';
import { flagString } from '../args';
import { optimizeOnlyWhatStaysHot } from '../v8-tuning';
import { BadInputError, EXIT, helpText, UsageError, type CliCommand, type CliIo } from '../types';
import { analyzeCrashLogFile } from '../../analysis/crashlog/crashlog-analyzer';
import { bundledRuleSet, type ActiveRules } from '../../analysis/rules/bundled-rules';
import type { CrashLogAnalysis } from '../../../shared/domain/crashlog';
import { formatFindings } from '../format-findings';
import { enrichCause, enrichFindings, withModsByName } from '../../analysis/mods/enrich';
import type { ModIndex } from '../../analysis/mods/mod-index';
import { causeLines, suspectLine, toJson } from '../analysis-text';

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

/** Problems that mean the log is damaged (like a dump's bad streams), not merely unusual. */
const DAMAGE = new Set(['truncated', 'no_exception', 'no_call_stack', 'nul_bytes', 'too_large']);

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
  if (isMinidump(path)) {
    // The minidump reader and stack walker load only for a dump (issue 15).
    const { analyzeDumpFile } = await import('../analyze-dump');
    return analyzeDumpFile(path, json, io, symbols, rules, mods);
  }
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
