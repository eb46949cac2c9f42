import { BufferSource, withFileSource, type ByteSource } from '../../formats/common/byte-source';
import { readMinidump } from '../../formats/minidump/reader';
import type { AnalyzerEnv, ArtifactAnalyzer, AnalyzerOutput } from '../artifact-analyzer';
import type { DumpAnalysis } from '../../../shared/domain/minidump';
import { analyzeMinidump } from './analyze-dump';
import { runRules } from '../rules/engine';
import { bundledRuleSet, type ActiveRules } from '../rules/bundled-rules';
import { subjectFromDump } from '../rules/subject';

/** Turns a .dmp into the incident verdict, bucket signature and culprits for the index. */
export const minidumpAnalyzer: ArtifactAnalyzer = {
  name: 'minidump',
  roles: ['dump'],
  analyze: (path: string, env?: AnalyzerEnv): AnalyzerOutput =>
    dumpOutput(withFileSource(path, analyzeSource), env),
  analyzeBytes: (bytes: Buffer, path: string, env?: AnalyzerEnv): AnalyzerOutput =>
    dumpOutput(analyzeSource(new BufferSource(bytes, path)), env),
};

function analyzeSource(src: ByteSource): DumpAnalysis {
  return analyzeMinidump(src, readMinidump(src));
}

function dumpOutput(a: DumpAnalysis, env?: AnalyzerEnv): AnalyzerOutput {
  const moduleNames = a.modules.map((m) => m.name);
  const stackModules = new Map<string, number>();
  for (const f of a.stack) if (f.module) stackModules.set(f.module, (stackModules.get(f.module) ?? 0) + 1);
  const facts = {
    threadId: a.exception?.threadId ?? null,
    threadIndex: a.exception?.threadIndex ?? null,
    location: a.exception?.location ?? null,
    bucket: a.bucketTitle,
    os: a.system ? `${a.system.os} ${a.system.osVersion}` : null,
    cpu: a.system?.cpuInfo ?? null,
    problems: a.problems,
  };
  if (!a.exception) {
    return { kind: 'manual', priority: 10, searchText: moduleNames.join(' '), facts };
  }
  const ex = a.exception;
  // Rules about faulting or loaded modules apply to dumps as well; the rest simply do not match.
  const rules: ActiveRules = env?.rules() ?? bundledRuleSet();
  const findings = runRules(rules.compiled, subjectFromDump(a));
  return {
    kind: 'crash',
    priority: 50,
    verdict: {
      title: a.verdict,
      exceptionCode: parseInt(ex.code, 16),
      exceptionName: ex.name,
      faultingModule: ex.faultingModule,
      faultingOffset: ex.faultingOffset === null ? null : parseInt(ex.faultingOffset, 16),
      signature: a.signature,
      suspects: a.culprits.map((c) => ({ name: c.module, score: c.score, reason: c.evidence.join('; ') })),
      game: null,
      analyzer: 'minidump',
      findings,
    },
    searchText: [
      ex.reason,
      a.verdict,
      a.bucketTitle,
      ...a.culprits.map((c) => c.module),
      ...findings.map((f) => f.title),
      ...moduleNames,
    ].join(' '),
    modules: [
      ...(ex.faultingModule ? [{ name: ex.faultingModule, role: 'faulting' as const, hits: 1 }] : []),
      ...a.culprits
        .filter((c) => c.module !== ex.faultingModule)
        .map((c) => ({ name: c.module, role: 'suspect' as const, hits: 1 })),
      ...[...stackModules].map(([name, hits]) => ({ name, role: 'stack' as const, hits })),
    ],
    facts,
  };
}
