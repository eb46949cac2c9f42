import { cached } from '../formats/common/block-cache';
import { withFileSource } from '../formats/common/byte-source';
import { ParseError } from '../formats/common/parse-error';
import { readMinidump, type Minidump } from '../formats/minidump/reader';
import { analyzeMinidump } from '../analysis/minidump/analyze-dump';
import { dumpCause } from '../analysis/minidump/culprits';
import { runRules } from '../analysis/rules/engine';
import type { ActiveRules } from '../analysis/rules/bundled-rules';
import { subjectFromDump } from '../analysis/rules/subject';
import { enrichCause, enrichFindings, withModsByName } from '../analysis/mods/enrich';
import type { ModIndex } from '../analysis/mods/mod-index';
import type { DumpAnalysis } from '../../shared/domain/minidump';
import type { Finding } from '../../shared/domain/finding';
import { causeLines, suspectLine, toJson } from './analysis-text';
import { formatFindings } from './format-findings';
import { EXIT, type CliIo } from './types';

/**
 * `analyze` on a minidump. Loaded by `analyze` only once the file's magic says MDMP, so a run
 * on a crash log does not compile the minidump reader and stack walker (issue 15).
 */
export function analyzeDumpFile(
  path: string,
  json: boolean,
  io: CliIo,
  symbols: string[],
  rules: ActiveRules,
  mods: ModIndex | null,
): number {
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
