import { describe, expect, it } from 'vitest';
import type { AnalyzerOutput } from '../../../src/main/analysis/artifact-analyzer';
import { mergeIncidentCause } from '../../../src/main/analysis/cause/merge';
import { wctAnalyzer } from '../../../src/main/analysis/hang/wct-analyzer';
import {
  blackboxAnalyzer,
  pluginScanAnalyzer,
} from '../../../src/main/analysis/skyrimdiag/sidecar-analyzers';
import { analyzeSummaryText } from '../../../src/main/analysis/skyrimdiag/summary-analyzer';
import { incidentVerdict } from '../../../src/main/analysis/rules/incident-findings';
import { Verdict } from '../../../src/shared/domain/incident';
import { deadlockDoc } from '../hang/wct-fixtures';
import { BLACKBOX, PLUGIN_SCAN, SUMMARY } from '../../helpers/skyrimdiag-samples';

/**
 * One answer per incident from all of its artifacts. The dump outputs here are SYNTHETIC
 * (the shared fixtures hold no Skyrim dump); the summary, plugin scan and black box are the
 * synthetic SkyrimDiag samples of sidecar-parsers.test.ts; the WCT is the hang tests' document.
 */

function verdictOf(outputs: AnalyzerOutput[], kind: 'crash' | 'hang'): Verdict {
  const best = outputs.filter((o) => o.verdict).sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0]!
    .verdict;
  const v = mergeIncidentCause(
    incidentVerdict(
      best,
      outputs.map((o) => o.verdict),
    ),
    outputs,
    kind,
  );
  return Verdict.parse(v);
}

const dumpCrash: AnalyzerOutput = {
  priority: 50,
  kind: 'crash',
  verdict: {
    title: 'EXCEPTION_ACCESS_VIOLATION reading 0x10 in ExampleMod.dll+0xe8978',
    exceptionName: 'EXCEPTION_ACCESS_VIOLATION',
    faultingModule: 'ExampleMod.dll',
    faultingOffset: 0xe8978,
    analyzer: 'minidump',
    suspects: [
      {
        name: 'ExampleMod.dll',
        score: 52,
        reason: 'owns the faulting instruction',
        role: 'mod-dll',
        version: '1.2.0.0',
        evidence: [{ direction: 'for', text: 'owns the faulting instruction' }],
      },
    ],
  },
};

describe('incident merge', () => {
  it("a crash dump with SkyrimDiag's summary and plugin scan: one suspect list, mod names, findings", async () => {
    const scan = await pluginScanAnalyzer.analyzeBytes!(Buffer.from(PLUGIN_SCAN), 'x_PluginScan.json');
    const v = verdictOf([dumpCrash, analyzeSummaryText(SUMMARY, 'x_SkyrimDiagSummary.json'), scan], 'crash');
    const top = v.suspects[0]!;
    expect(top).toMatchObject({
      name: 'ExampleMod.dll',
      version: '1.2.0.0',
      mod: { name: 'Example Mod', source: 'skyrimdiag' },
    });
    // Agreement between the dump and SkyrimDiag counts for more than either alone.
    expect(top.score).toBeGreaterThan(52);
    expect(top.evidence!.map((e) => e.text).join('\n')).toMatch(/SkyrimDiag: cross validated/);
    expect(v.findings.map((f) => f.id)).toContain('skyrimdiag-missing-master');
    expect(v.suspects.map((s) => s.name)).toContain('Example.esp');
    expect(v.probableCause).toMatchObject({ subject: 'ExampleMod.dll', mod: { name: 'Example Mod' } });
    expect(v.probableCause?.headline).toMatch(
      /^Probable cause: Example Mod \(ExampleMod\.dll, v1\.2\.0\.0\) — owns the faulting instruction/,
    );
  });

  it('a hang with wait chains and a hang dump names the module of the thread holding the lock', async () => {
    const wct = await wctAnalyzer.analyzeBytes!(
      Buffer.from(JSON.stringify(deadlockDoc())),
      'SkyrimDiag_WCT_20260315_130000_001.json',
    );
    const bb = await blackboxAnalyzer.analyzeBytes!(Buffer.from(BLACKBOX), 'x_SkyrimDiagBlackbox.jsonl');
    const hangDump: AnalyzerOutput = {
      priority: 10,
      kind: 'manual',
      verdict: { title: 'Dump without an exception stream', analyzer: 'minidump', suspects: [] },
      merge: {
        firstThreadId: 5120,
        threadLeads: [
          { threadId: 6312, module: 'LockHolder.dll', frameIndex: 3, trust: 'cfi', version: '0.9.1.0' },
          { threadId: 5120, module: 'hdtSMP64.dll', frameIndex: 6, trust: 'cfi', version: null },
        ],
      },
    };
    const v = verdictOf([wct, hangDump, bb], 'hang');
    expect(v.suspects[0]).toMatchObject({ name: 'LockHolder.dll', version: '0.9.1.0' });
    expect(v.suspects[0]!.reason).toMatch(/holds the lock the main thread waits on \(thread 6312/);
    expect(v.probableCause?.subject).toBe('LockHolder.dll');
    expect(v.probableCause?.headline).toMatch(
      /^Probable cause: LockHolder\.dll v0\.9\.1\.0 — holds the lock/,
    );
  });

  it('a hang without a dump says unknown and what to capture', async () => {
    const wct = await wctAnalyzer.analyzeBytes!(
      Buffer.from(JSON.stringify(deadlockDoc())),
      'SkyrimDiag_WCT_20260315_130000_001.json',
    );
    const v = verdictOf([wct], 'hang');
    expect(v.probableCause?.confidence).toBe('unknown');
    expect(v.probableCause?.why).toMatch(/deadlock/);
    expect(v.probableCause?.next).toMatch(/hang dump/);
  });
});
