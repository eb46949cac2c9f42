import { close, fstat, open, read } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import type { CrashLogAnalysis } from '../../../shared/domain/crashlog';
import { LOGGER_LABEL } from '../../../shared/domain/crashlog-labels';
import type { Suspect } from '../../../shared/domain/incident';
import { MAX_LOG_BYTES, parseCrashLogDetailed } from '../../formats/crashlog/parse-crashlog';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { crashLogCause } from '../cause/from-crashlog';
import { runRules } from '../rules/engine';
import { bundledRuleSet, type ActiveRules } from '../rules/bundled-rules';
import { subjectFromCrashLog } from '../rules/subject';
import { crashLogBucket } from '../signature/sources';
import { crashLogSuspects, formIdSuspects } from './suspects';

/**
 * A crash log from bytes to everything the workbench says about it: parse, verdict, suspects
 * (CLASSIC-style stack mentions), form ids and known-issue findings.
 */
export function analyzeCrashLogBuffer(
  input: Buffer | string,
  name: string,
  rules: ActiveRules = bundledRuleSet(),
): CrashLogAnalysis {
  const parse = parseCrashLogDetailed(input, name);
  const { parsed: p, lines, ranges, text } = parse;
  const cs = ranges.callStack ? lines.slice(ranges.callStack[0], ranges.callStack[1]) : [];
  const suspects = crashLogSuspects(p, cs);
  const formIds = formIdSuspects(p, cs);
  // The rules engine skips rules that need a section this log lacks (no false "no load order").
  const findings = runRules(
    rules.compiled,
    subjectFromCrashLog(p, lines, ranges, () => parse.joined, text),
  );
  const { suspects: culprits, probableCause } = crashLogCause(p, findings);
  const ex = p.exception;
  const logger = `${LOGGER_LABEL[p.logger]}${p.loggerVersion ? ` ${p.loggerVersion}` : ''}`;
  const where = ex?.module ? `${ex.module}+0x${ex.offset ?? '0'}` : (ex?.address ?? 'an unknown address');
  const top = findings.find((f) => f.severity === 'critical' || f.severity === 'high');
  return {
    file: name,
    parsed: p,
    verdict: {
      title: `${ex?.name ?? 'Unhandled exception'} at ${where} (${logger})${top ? ` · ${top.title}` : ''}`,
      exceptionName: ex?.name ?? null,
      exceptionCode: ex?.code ?? null,
      faultingModule: ex?.module ?? null,
      faultingOffset: ex?.offset ?? null,
      logger: p.logger,
      loggerVersion: p.loggerVersion,
      game: p.game,
      gameVersion: p.gameVersion,
      signature: crashLogBucket(p).key,
    },
    suspects,
    formIds,
    findings,
    culprits,
    probableCause,
    incomplete: p.missing.length > 0,
    missing: p.missing,
  };
}

// The callback API, promisified: node:fs/promises (and the readline code under it) would cost
// every `analyze` more CPU to load than reading the log does (issue 15).
const openFile = promisify(open);
const statFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

/** Reads at most MAX_LOG_BYTES so a huge mislabelled file never becomes a huge buffer. */
export async function readLogBytes(path: string): Promise<Buffer> {
  const fd = await openFile(path, 'r');
  try {
    const size = (await statFd(fd)).size;
    const buf = Buffer.alloc(Math.min(size, MAX_LOG_BYTES));
    const { bytesRead } = await readFd(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await closeFd(fd);
  }
}

export async function analyzeCrashLogFile(path: string, rules?: ActiveRules): Promise<CrashLogAnalysis> {
  return analyzeCrashLogBuffer(await readLogBytes(path), basename(path), rules);
}

/** What the index keeps: the verdict with findings, module participation and search text. */
export function crashLogOutput(a: CrashLogAnalysis): AnalyzerOutput {
  const p = a.parsed;
  const faulting = a.verdict.faultingModule;
  const suspects: Suspect[] = a.culprits;
  const stackHits = new Map<string, number>();
  for (const f of p.callStack) if (f.module) stackHits.set(f.module, (stackHits.get(f.module) ?? 0) + 1);
  const offsetNum = a.verdict.faultingOffset ? Number.parseInt(a.verdict.faultingOffset, 16) : Number.NaN;
  return {
    // Below a minidump's verdict: a dump is the primary evidence when both exist.
    priority: 50,
    kind: 'crash',
    verdict: {
      title: a.verdict.title,
      exceptionCode: a.verdict.exceptionCode,
      exceptionName: a.verdict.exceptionName,
      faultingModule: faulting,
      faultingOffset: Number.isFinite(offsetNum) ? offsetNum : null,
      signature: a.verdict.signature,
      suspects,
      game: p.game ? `${p.game}${p.gameVersion ? ` ${p.gameVersion}` : ''}` : null,
      analyzer: `crashlog:${p.logger}`,
      findings: a.findings,
      probableCause: a.probableCause,
      incomplete: a.incomplete,
      missing: a.missing,
    },
    searchText: [
      a.verdict.exceptionName,
      faulting,
      ...a.findings.map((f) => f.title),
      ...stackHits.keys(),
      ...a.suspects.map((s) => s.name),
      ...p.gamePlugins.map((x) => x.name),
    ]
      .filter(Boolean)
      .join(' '),
    modules: [
      ...(faulting ? [{ name: faulting, role: 'faulting' as const, hits: 1 }] : []),
      ...a.culprits
        .filter((s) => s.role !== 'plugin' && s.name.toLowerCase() !== faulting?.toLowerCase())
        .map((s) => ({ name: s.name, role: 'suspect' as const, hits: 1 })),
      ...[...stackHits].map(([name, hits]) => ({ name, role: 'stack' as const, hits })),
    ],
    setup:
      p.gamePlugins.length || p.xsePlugins.length
        ? {
            game: p.game,
            plugins: p.gamePlugins.map((x) => ({ name: x.name })),
            dlls: p.xsePlugins.map((x) => ({ name: x.name, version: x.version })),
          }
        : undefined,
    facts: {
      logger: p.logger,
      loggerVersion: p.loggerVersion,
      game: p.game,
      gameVersion: p.gameVersion,
      encoding: p.encoding,
      frames: p.callStack.length,
      modules: p.modules.length,
      plugins: p.gamePlugins.length,
      findings: a.findings.map((f) => f.id),
      problems: p.problems,
    },
  };
}

export const crashLogAnalyzer: ArtifactAnalyzer = {
  name: 'crashlog',
  roles: ['crashlog'],
  async analyze(path, env) {
    return crashLogOutput(await analyzeCrashLogFile(path, env?.rules()));
  },
  analyzeBytes: (buf, path, env) =>
    crashLogOutput(analyzeCrashLogBuffer(buf.subarray(0, MAX_LOG_BYTES), basename(path), env?.rules())),
};
