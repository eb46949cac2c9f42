import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { CrashLogAnalysis } from '../../../src/shared/domain/crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Corrupted copies of every real crash log (truncation, byte flips, line shuffles, deleted and
 * duplicated lines, NULs) through parser and rules: nothing but ParseError may escape, and what
 * comes out is a valid analysis. Seeded, so a failure is reproducible (bench/logs-bench.ts
 * runs the same mutations at volume with timings).
 */

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutateLog(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (pick(6)) {
    case 0:
      return b.subarray(0, pick(b.length));
    case 1: {
      for (let i = 0; i < 1 + pick(64); i++) b[pick(b.length)] = pick(256);
      return b;
    }
    case 2: {
      const lines = src.toString('latin1').split('\n');
      for (let i = 0; i < 1 + pick(20); i++) {
        const x = pick(lines.length);
        const y = pick(lines.length);
        [lines[x], lines[y]] = [lines[y] ?? '', lines[x] ?? ''];
      }
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 3: {
      const lines = src.toString('latin1').split('\n');
      const at = pick(lines.length);
      lines.splice(at, pick(200));
      if (pick(2)) lines.splice(pick(lines.length), 0, ...lines.slice(at, at + pick(50)));
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 4: {
      for (let i = 0; i < 1 + pick(8); i++) b.fill(pick(2) ? 0 : 0xff, pick(b.length), pick(b.length));
      return b;
    }
    default: {
      // Remove every brace or every section colon: the block structure itself is damaged.
      const t = src.toString('latin1');
      return Buffer.from(pick(2) ? t.replace(/[{}]/g, '') : t.replace(/:\r?\n/g, '\n'), 'latin1');
    }
  }
}

describe.skipIf(!fixturesAvailable())(
  'fuzzing the crash-log parser and rules with corrupted real logs',
  () => {
    it('600 corrupted logs: zero exceptions other than ParseError, every result schema-valid', () => {
      const root = real('crashlogs');
      const logs = readdirSync(root).flatMap((d) =>
        readdirSync(`${root}/${d}`)
          .filter((f) => !f.endsWith('.md'))
          .map((f) => readFileSync(`${root}/${d}/${f}`)),
      );
      expect(logs.length).toBeGreaterThanOrEqual(25);
      const rnd = rng(20240611);
      let parseErrors = 0;
      const crashes: string[] = [];
      for (let i = 0; i < 600; i++) {
        const input = mutateLog(logs[i % logs.length]!, rnd);
        try {
          const a = analyzeCrashLogBuffer(input, `case-${i}`);
          if (i % 10 === 0) {
            const check = CrashLogAnalysis.safeParse(a);
            if (!check.success)
              crashes.push(`case ${i}: invalid output ${check.error.message.slice(0, 200)}`);
          }
        } catch (e) {
          if (e instanceof ParseError) parseErrors++;
          else crashes.push(`case ${i}: ${(e as Error).stack ?? String(e)}`);
        }
      }
      expect(crashes).toEqual([]);
      expect(parseErrors).toBeLessThan(600);
    });
  },
);
