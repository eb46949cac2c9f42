import { BufferSource, withFileSource, type ByteSource } from '../../formats/common/byte-source';
import type { AnalyzerEnv, ArtifactAnalyzer, AnalyzerOutput } from '../artifact-analyzer';
import type { DumpAnalysis } from '../../../shared/domain/minidump';
import { analyzeDumpSource } from './analyze-dump';
import { runRules } from '../rules/engine';
import { bundledRuleSet, type ActiveRules } from '../rules/registry';
import { subjectFromDump } from '../rules/subject';
import { dumpCause } from './culprits';

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
  return analyzeDumpSource(src);
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
    incomplete: a.incomplete,
    missing: a.missing,
  };
  // Hang and manual dumps: per-thread first third-party module, for the incident's wait chains.
  const merge = a.exception
    ? undefined
    : { threadLeads: a.threadLeads, firstThreadId: a.threads[0]?.id ?? null };
  // Rules about faulting or loaded modules apply to dumps as well; the rest simply do not match.
  const rules: ActiveRules = env?.rules() ?? bundledRuleSet();
  const findings = runRules(rules.compiled, subjectFromDump(a));
  const { suspects, probableCause } = dumpCause(a, findings);
  if (!a.exception) {
    return {
      kind: 'manual',
      priority: 10,
      verdict: {
        title: a.verdict,
        signature: a.signature,
        suspects,
        analyzer: 'minidump',
        findings,
        probableCause,
        incomplete: a.incomplete,
        missing: a.missing,
      },
      searchText: [...suspects.map((s) => s.name), ...moduleNames].join(' '),
      modules: suspects
        .filter((s) => s.role !== 'plugin')
        .map((s) => ({ name: s.name, role: 'suspect' as const, hits: 1 })),
      facts: { ...facts, threadLeads: a.threadLeads },
      merge,
    };
  }
  const ex = a.exception;
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
      suspects,
      game: null,
      analyzer: 'minidump',
      findings,
      probableCause,
      incomplete: a.incomplete,
      missing: a.missing,
    },
    searchText: [
      ex.reason,
      a.verdict,
      a.bucketTitle,
      ...suspects.map((c) => c.name),
      ...findings.map((f) => f.title),
      ...moduleNames,
    ].join(' '),
    modules: [
      ...(ex.faultingModule ? [{ name: ex.faultingModule, role: 'faulting' as const, hits: 1 }] : []),
      ...suspects
        .filter((c) => c.name !== ex.faultingModule && c.role !== 'plugin')
        .map((c) => ({ name: c.name, role: 'suspect' as const, hits: 1 })),
      ...[...stackModules].map(([name, hits]) => ({ name, role: 'stack' as const, hits })),
    ],
    facts,
  };
}
