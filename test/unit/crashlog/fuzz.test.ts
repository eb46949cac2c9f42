import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { CrashLogAnalysis } from '../../../src/shared/domain/crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { mutateLog, rng } from '../../helpers/log-mutations';

/**
 * Corrupted copies of every real crash log (truncation, byte flips, line shuffles, deleted and
 * duplicated lines, NULs) through parser and rules: nothing but ParseError may escape, and what
 * comes out is a valid analysis. Seeded, so a failure is reproducible (`npm run bench:logs`
 * runs the same mutations at volume and reports the slowest case).
 */

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
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
    }, 180_000); // 600 full analyses (parse, ~240 rules, culprit model) on a shared, often loaded machine
  },
);
