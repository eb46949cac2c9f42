import { readFile } from 'node:fs/promises';
import type { Suspect } from '../../../shared/domain/incident';
import { ParseError } from '../../formats/common/parse-error';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';
import { parseJsonText } from '../../../shared/text';

/**
 * SkyrimDiag's own analysis (`<stem>_SkyrimDiagSummary.json`, §5). Every key is optional to a
 * reader; text fields may be Korean. Its verdict ranks below our own dump analysis but above
 * nothing, and its suspects carry the MO2 mod names our dump reader cannot know.
 */
const MAX_SUMMARY_BYTES = 32 * 1024 * 1024;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const s = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function analyzeSummaryText(text: string, file: string): AnalyzerOutput {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (e) {
    throw new ParseError(`summary is not valid JSON (${(e as Error).message})`, {
      file,
      field: 'json',
      code: 'bad_json',
    });
  }
  const root = obj(json);
  if (!root)
    throw new ParseError('summary is not a JSON object', { file, field: '(root)', code: 'bad_field' });
  const ex = obj(root.exception);
  const code = n(ex?.code);
  const mpo = s(ex?.module_plus_offset);
  const plus = mpo ? /^(.+)\+0x([0-9a-f]+)$/i.exec(mpo) : null;
  const suspects: Suspect[] = [];
  if (Array.isArray(root.suspects)) {
    for (const raw of root.suspects.slice(0, 10)) {
      const o = obj(raw);
      const name = s(o?.inferred_mod_name) ?? s(o?.module_filename) ?? s(o?.module);
      if (!name) continue;
      suspects.push({
        name,
        score: n(o?.score) ?? 0,
        reason: s(o?.reason) ?? s(o?.confidence) ?? 'SkyrimDiag suspect',
      });
    }
  }
  const sentence = s(root.summary_sentence);
  const bucket = s(root.crash_bucket_key);
  const analysis = obj(root.analysis);
  const kind = analysis?.is_hang_like
    ? 'hang'
    : analysis?.is_manual_capture
      ? 'manual'
      : analysis?.is_crash_like
        ? 'crash'
        : undefined;
  return {
    priority: 40,
    ...(kind ? { kind } : {}),
    verdict: {
      title: sentence ?? (mpo ? `Crash in ${mpo}` : 'SkyrimDiag analysis'),
      exceptionCode: code,
      exceptionName: null,
      faultingModule: plus?.[1] ?? null,
      faultingOffset: plus ? Number.parseInt(plus[2]!, 16) : null,
      signature: bucket,
      suspects,
      game: s(root.game_version) ? `Skyrim ${s(root.game_version)}` : null,
      analyzer: 'skyrimdiag-summary',
    },
    searchText: [sentence, bucket, mpo, ...suspects.map((x) => x.name)].filter(Boolean).join(' '),
    modules: [
      ...(plus ? [{ name: plus[1]!, role: 'faulting' as const, hits: 1 }] : []),
      ...suspects.map((x) => ({ name: x.name, role: 'suspect' as const, hits: 1 })),
    ],
    facts: { summary: root },
  };
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
