import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { minidumpAnalyzer } from '../../../src/main/analysis/minidump/dump-analyzer';
import type { AnalyzerOutput } from '../../../src/main/analysis/artifact-analyzer';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/** Real dumps cut short (a copy interrupted, a disk that filled up): analysed, and said to be incomplete. */
const EXTRA = join(__dirname, '..', '..', 'fixtures-extra', 'minidumps');
const dumps = [
  ...readdirSync(EXTRA).map((f) => join(EXTRA, f)),
  ...(fixturesAvailable() ? readdirSync(real('minidumps')).map((f) => real('minidumps', f)) : []),
].filter((p) => p.endsWith('.dmp') && !/invalid-/.test(p));

function analyzeBytes(bytes: Buffer, name: string): AnalyzerOutput | null {
  try {
    return minidumpAnalyzer.analyzeBytes!(bytes, name) as AnalyzerOutput;
  } catch (e) {
    // Cut inside the header or directory: nothing to analyse, and a typed error says why.
    expect(e).toBeInstanceOf(ParseError);
    return null;
  }
}

function incomplete(o: AnalyzerOutput): { incomplete: unknown; missing: unknown } {
  return o.verdict
    ? { incomplete: o.verdict.incomplete, missing: o.verdict.missing }
    : {
        incomplete: (o.facts as Record<string, unknown>).incomplete,
        missing: (o.facts as Record<string, unknown>).missing,
      };
}

describe('truncated dumps are analysed and reported incomplete', () => {
  for (const path of dumps) {
    const name = path.split('/').pop()!;
    it(`${name}: whole is complete; cut at 25/50/75/99% is incomplete`, () => {
      const bytes = readFileSync(path);
      const whole = analyzeBytes(bytes, name);
      const w = incomplete(whole!);
      expect(w.incomplete).toBe(false);
      // A whole file may still lack unwind data (said in `missing`), never bytes.
      expect(
        (w.missing as string[]).filter((m) => /end of the file|stack of thread|module list/.test(m)),
      ).toEqual([]);
      for (const frac of [0.25, 0.5, 0.75, 0.99]) {
        const out = analyzeBytes(bytes.subarray(0, Math.floor(bytes.length * frac)), name);
        if (!out) continue;
        const r = incomplete(out);
        expect(r.incomplete, `${name} cut at ${frac}`).toBe(true);
        expect((r.missing as string[])[0]).toMatch(/^end of the file: \d+ of at least \d+ bytes present$/);
      }
    });
  }

  it('keeps the part of a stack that is still in the file', () => {
    // stack_exhaustion's 1 MiB stack is most of the file: cut in half, half the frames remain.
    const path = dumps.find((p) => p.endsWith('stack_exhaustion.dmp'));
    if (!path) return;
    const bytes = readFileSync(path);
    const out = analyzeBytes(bytes.subarray(0, bytes.length / 2), 'half.dmp')!;
    expect(out.verdict?.title).toBe('EXCEPTION_STACK_OVERFLOW in crashme.exe+0xa637');
    expect(out.verdict?.missing).toContainEqual(
      expect.stringMatching(/^stack of thread 0 \(0x[0-9a-f]+\): \d+ of 1037504 bytes$/),
    );
  });
});
