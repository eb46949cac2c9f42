import { readFile } from 'node:fs/promises';
import type { SdSummary } from '../../../shared/domain/skyrimdiag';
import { ParseError } from '../../formats/common/parse-error';
import { parseJsonExact } from '../../formats/skyrimdiag/json';
import { MAX_SUMMARY_BYTES, summaryFromJson } from '../../formats/skyrimdiag/summary';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { rankSuspects, type ExternalCandidate } from '../cause/model';
import { deriveCause } from '../cause/probable-cause';
import { summaryBucket } from '../signature/sources';

/**
 * SkyrimDiag's own analysis (`<stem>_SkyrimDiagSummary.json`, §5), parsed by
 * formats/skyrimdiag/summary.ts. Its verdict ranks below our own dump analysis; its candidates
 * (with the MO2 mod names our dump reader cannot know) go through the shared culprit model as
 * outside evidence, and the incident merge (analysis/cause/merge.ts) keeps them next to ours.
 */

/** How much SkyrimDiag's candidate status counts in the culprit model. */
const STRENGTH: Record<string, ExternalCandidate['strength']> = {
  cross_validated: 'strong',
  related: 'medium',
  conflicting: 'medium',
  reference_clue: 'weak',
  suspect: 'weak',
};

/** SkyrimDiag's candidates as outside evidence for the culprit model. */
export function skyrimDiagCandidates(sd: SdSummary): ExternalCandidate[] {
  const out: ExternalCandidate[] = [];
  for (const c of sd.candidates) {
    if (!/\.(dll|exe|es[pml])$/i.test(c.name)) continue;
    const x: ExternalCandidate = {
      name: c.name,
      strength: STRENGTH[c.status] ?? 'weak',
      text: `SkyrimDiag: ${c.status.replace(/_/g, ' ')}${c.confidence ? ` (${c.confidence})` : ''}${c.families.length ? ` from ${c.families.join(', ').replace(/_/g, ' ')}` : ''}`,
    };
    const mod = c.modName ?? sd.modNames[c.name.toLowerCase()];
    if (mod) x.mod = { name: mod, source: 'skyrimdiag' };
    out.push(x);
  }
  for (const r of sd.objectRefs)
    out.push({
      name: r.plugin,
      strength: 'weak',
      text: `SkyrimDiag: Crash Logger object reference${r.formId ? ` ${r.formId}` : ''}`,
    });
  return out;
}

/** callstack.frames of the summary: "module+0xoffset" strings, best first. */
function summaryFrames(root: unknown): string[] {
  const cs = root && typeof root === 'object' ? (root as { callstack?: unknown }).callstack : undefined;
  const frames = cs && typeof cs === 'object' ? (cs as { frames?: unknown }).frames : undefined;
  return Array.isArray(frames)
    ? frames.filter((f): f is string => typeof f === 'string' && f.length > 0)
    : [];
}

export function analyzeSummaryText(text: string, file: string): AnalyzerOutput {
  const root: unknown = parseJsonExact(text, file);
  const sd = summaryFromJson(root, file);
  const ex = sd.exception;
  const external = skyrimDiagCandidates(sd);
  const suspects = rankSuspects({
    exception: ex ? { code: ex.code, name: null, module: ex.module } : null,
    frames: null,
    modules: null,
    objects: [],
    mentions: [],
    external,
    findings: [],
  }).map(({ families: _f, ...x }) => {
    const mod = sd.modNames[x.name.toLowerCase()];
    return mod && !x.mod ? { ...x, mod: { name: mod, source: 'skyrimdiag' as const } } : x;
  });
  const kind = sd.kind === 'hang' || sd.kind === 'manual' || sd.kind === 'crash' ? sd.kind : undefined;
  const probableCause = deriveCause(suspects, {
    kind: kind ?? 'crash',
    findings: [],
    exception: ex ? { name: null, module: ex.module, offset: ex.offset, code: ex.code } : null,
    missing: [],
    game: 'skyrim',
    sources: { skyrimDiag: true, dump: true },
    hang: sd.freeze ? { summary: freezeSummary(sd.freeze) } : undefined,
  });
  // Our own bucket from SkyrimDiag's call stack, so a summary whose dump retention deleted still
  // lands with the dumps and logs of the same crash (its CTD2 key stays searchable).
  const mpo = ex?.module ? `${ex.module}+0x${(ex.offset ?? 0).toString(16)}` : null;
  const frames = summaryFrames(root);
  const ours =
    frames.length || mpo ? summaryBucket(ex?.code ?? null, frames.length ? frames : [mpo!]).key : null;
  return {
    priority: 40,
    ...(kind ? { kind } : {}),
    verdict: {
      title:
        sd.sentence ??
        (ex?.module ? `Crash in ${ex.module}+0x${(ex.offset ?? 0).toString(16)}` : 'SkyrimDiag analysis'),
      exceptionCode: ex?.code ?? null,
      exceptionName: null,
      faultingModule: ex?.module ?? null,
      faultingOffset: ex?.offset ?? null,
      signature: ours,
      suspects,
      game: sd.gameVersion ? `Skyrim ${sd.gameVersion}` : null,
      analyzer: 'skyrimdiag-summary',
      probableCause,
    },
    searchText: [
      sd.sentence,
      sd.bucket,
      ex?.module,
      ...suspects.map((x) => x.name),
      ...Object.values(sd.modNames),
    ]
      .filter(Boolean)
      .join(' '),
    modules: [
      ...(ex?.module ? [{ name: ex.module, role: 'faulting' as const, hits: 1 }] : []),
      ...suspects
        .filter((x) => x.role !== 'plugin' && x.name !== ex?.module)
        .map((x) => ({ name: x.name, role: 'suspect' as const, hits: 1 })),
    ],
    merge: {
      modNames: sd.modNames,
      sentence: sd.sentence,
      freeze: sd.freeze
        ? {
            state: sd.freeze.state,
            consensusModule: sd.freeze.consensusModule,
            lockCycleProven: sd.freeze.lockCycleProven,
          }
        : null,
    },
    facts: { summary: root, skyrimdiag: sd },
  };
}

/** "deadlock likely (High); most blocked threads sit in Foo.dll" */
export function freezeSummary(f: NonNullable<SdSummary['freeze']>): string {
  const state = f.state.replace(/_/g, ' ');
  return `SkyrimDiag's freeze analysis says ${state}${f.confidence ? ` (${f.confidence})` : ''}${f.consensusModule ? `; most blocked threads sit in ${f.consensusModule}` : ''}`;
}

export const summaryAnalyzer: ArtifactAnalyzer = {
  name: 'skyrimdiag-summary',
  roles: ['summary'],
  async analyze(path) {
    return summaryFromBytes(await readFile(path), path);
  },
  analyzeBytes: (buf, path) => summaryFromBytes(buf, path),
};

function summaryFromBytes(buf: Buffer, path: string): AnalyzerOutput {
  if (buf.length > MAX_SUMMARY_BYTES)
    throw new ParseError(`summary is ${buf.length} bytes; the limit is ${MAX_SUMMARY_BYTES}`, {
      file: path,
      code: 'too_large',
    });
  return analyzeSummaryText(buf.toString('utf8'), path);
}

const TEXT_SEARCH_BYTES = 256 * 1024;

/** Report text and other plain text artifacts: searchable, nothing more. */
export const textSearchAnalyzer: ArtifactAnalyzer = {
  name: 'text',
  roles: ['report', 'log'],
  async analyze(path) {
    const fh = await import('node:fs/promises').then((m) => m.open(path, 'r'));
    try {
      const buf = Buffer.alloc(TEXT_SEARCH_BYTES);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return { searchText: buf.subarray(0, bytesRead).toString('utf8') };
    } finally {
      await fh.close();
    }
  },
  analyzeBytes: (buf) => ({ searchText: buf.subarray(0, TEXT_SEARCH_BYTES).toString('utf8') }),
};
