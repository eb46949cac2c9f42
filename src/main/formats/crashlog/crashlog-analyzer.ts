import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../../analysis/artifact-analyzer';
import type { Suspect } from '../../../shared/domain/incident';
import { parseCrashLog, type ParsedCrashLog } from './parse-crashlog';

const LOGGER_NAMES: Record<ParsedCrashLog['logger'], string> = {
  buffout4: 'Buffout 4',
  crashlogger: 'Crash Logger',
  netscriptframework: 'NetScriptFramework',
  trainwreck: 'Trainwreck',
  unknown: 'unknown logger',
};

// Game executables sit in nearly every stack, so they are not useful suspects.
const NOISE = /^(Fallout4|SkyrimSE|SkyrimVR|Fallout4VR)\.exe$|^(ntdll|kernel32|kernelbase|ucrtbase)\.dll$/i;

export function crashLogOutput(p: ParsedCrashLog): AnalyzerOutput {
  const ex = p.exception;
  const where = ex?.module ? `${ex.module}+0x${ex.offset ?? '0'}` : (ex?.address ?? 'unknown address');
  const logger = `${LOGGER_NAMES[p.logger]}${p.loggerVersion ? ` ${p.loggerVersion}` : ''}`;
  const hits = new Map<string, number>();
  for (const f of p.callStack) if (f.module) hits.set(f.module, (hits.get(f.module) ?? 0) + 1);
  const suspects: Suspect[] = [...hits]
    .filter(([m]) => !NOISE.test(m))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, n]) => ({
      name,
      score: n + (name === ex?.module ? 10 : 0),
      reason: `${n} call-stack frames`,
    }));
  const offset = ex?.offset ? Number.parseInt(ex.offset, 16) : null;
  return {
    // Below a minidump's verdict: a dump is the primary evidence when both exist.
    priority: 50,
    kind: 'crash',
    verdict: {
      title: `${ex?.name ?? 'Unhandled exception'} at ${where} (${logger})`,
      exceptionCode: null,
      exceptionName: ex?.name ?? null,
      faultingModule: ex?.module ?? null,
      faultingOffset: offset !== null && Number.isFinite(offset) ? offset : null,
      signature: ex?.module ? `${ex.module.toLowerCase()}+${ex.offset ?? ''}` : null,
      suspects,
      game: p.game ? `${p.game}${p.gameVersion ? ` ${p.gameVersion}` : ''}` : null,
      analyzer: `crashlog:${p.logger}`,
    },
    searchText: [ex?.name, ex?.module, ...hits.keys(), ...p.plugins.map((x) => x.name)]
      .filter(Boolean)
      .join(' '),
    modules: [
      ...(ex?.module ? [{ name: ex.module, role: 'faulting' as const, hits: 1 }] : []),
      ...[...hits].map(([name, n]) => ({ name, role: 'stack' as const, hits: n })),
    ],
    facts: { crashlog: p },
  };
}

export async function analyzeCrashLogFile(
  path: string,
): Promise<{ parsed: ParsedCrashLog } & AnalyzerOutput> {
  const parsed = parseCrashLog(await readFile(path), basename(path));
  return { parsed, ...crashLogOutput(parsed) };
}

export const crashLogAnalyzer: ArtifactAnalyzer = {
  name: 'crashlog',
  roles: ['crashlog'],
  async analyze(path) {
    return crashLogOutput(parseCrashLog(await readFile(path), basename(path)));
  },
};
