import { withFileSource } from '../../formats/common/byte-source';
import { ParseError } from '../../formats/common/parse-error';
import { readMinidump, type Minidump } from '../../formats/minidump/reader';
import { analyzeMinidump } from '../../analysis/minidump/analyze-dump';
import type { DumpAnalysis } from '../../../shared/domain/minidump';
import type { CliCommand, CliIo } from '../types';
import { EXIT } from '../types';
import { analyzeCrashLogFile } from '../../formats/crashlog/crashlog-analyzer';

/** JSON cannot carry bigint; addresses are shown as hex like Breakpad does. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2);
}

function isMinidump(path: string): boolean {
  // Only the magic is read so a multi-GB dump is never loaded to pick a parser.
  return withFileSource(
    path,
    (src) => src.size >= 4 && src.read(0, 4, 'magic').toString('latin1') === 'MDMP',
  );
}

async function analyzeDump(path: string, json: boolean, io: CliIo, symbols: string[]): Promise<number> {
  let md: Minidump;
  let analysis: DumpAnalysis;
  try {
    ({ md, analysis } = withFileSource(path, (src) => {
      const m = readMinidump(src);
      return { md: m, analysis: analyzeMinidump(src, m, { symbols }) };
    }));
  } catch (e) {
    if (e instanceof ParseError) {
      io.err(JSON.stringify({ error: e.toJSON() }) + '\n');
      return EXIT.badInput;
    }
    throw e;
  }
  if (json) io.out(toJson(analysis) + '\n');
  else io.out(formatText(md, analysis));
  if (md.problems.length > 0) {
    for (const p of md.problems) io.err(JSON.stringify({ error: p }) + '\n');
    return EXIT.badInput;
  }
  return EXIT.ok;
}

function formatText(md: Minidump, a: DumpAnalysis): string {
  const ex = md.exception;
  const lines = [
    `${a.system?.os ?? '?'} ${a.system?.osVersion ?? ''} ${a.system?.cpu ?? '?'}; ` +
      `${md.threads.length} threads, ${md.modules.length} modules`,
    ex
      ? `exception 0x${ex.code.toString(16)} at 0x${ex.address.toString(16)} thread 0x${ex.threadId.toString(16)}`
      : 'no exception stream',
    `verdict: ${a.verdict}`,
    `bucket: ${a.bucketTitle}`,
    `signature: ${a.signature}`,
  ];
  for (const c of a.culprits) lines.push(`culprit: ${c.module} (${c.score}): ${c.evidence.join('; ')}`);
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

/** Dispatch by file type so crash-log analysis can be added next to the dump path. */
export async function analyzeTarget(
  path: string,
  json: boolean,
  io: CliIo,
  symbols: string[] = [],
): Promise<number> {
  if (isMinidump(path)) return analyzeDump(path, json, io, symbols);
  const log = await analyzeCrashLogFile(path);
  if (log.parsed.logger === 'unknown' && !log.parsed.exception) {
    io.err(`${path}: neither a minidump nor a recognised crash log\n`);
    return EXIT.badInput;
  }
  io.out(json ? `${toJson(log)}\n` : `${log.verdict?.title ?? path}\n`);
  return EXIT.ok;
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'Analyze a minidump',
  usage: 'analyze <dmp> [--symbols dir] [--json]',
  valueFlags: ['symbols'],
  async run(args, io) {
    const path = args.positionals[0];
    if (path === undefined) {
      io.err('usage: analyze <dmp> [--symbols dir] [--json]\n');
      return EXIT.usage;
    }
    const sym = args.flags.symbols;
    return analyzeTarget(path, args.flags.json === true, io, typeof sym === 'string' ? [sym] : []);
  },
};
