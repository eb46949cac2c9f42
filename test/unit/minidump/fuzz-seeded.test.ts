import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { analyzeMinidump } from '../../../src/main/analysis/minidump/analyze-dump';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { mulberry32 } from '../../helpers/prng';

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0) {
    for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) {
      const o = Math.floor(rnd() * b.length);
      b[o] = (b[o] ?? 0) ^ (1 << Math.floor(rnd() * 8));
    }
    return b;
  }
  if (kind === 1) return b.subarray(0, Math.floor(rnd() * b.length));
  // Huge counts/sizes/RVAs: overwrite a 32-bit word with an extreme value.
  const o = Math.floor(rnd() * Math.max(1, b.length - 4)) & ~3;
  const values = [0xffffffff, 0x7fffffff, 0x80000000, 0, b.length, 32];
  b.writeUInt32LE(values[Math.floor(rnd() * values.length)] ?? 0, Math.min(o, b.length - 4));
  return b;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('minidump seeded fuzz (2,000 cases over the real fixtures)', () => {
  it('throws only ParseError and never anything else', () => {
    const dir = real('minidumps');
    const dumps = readdirSync(dir)
      .filter((f) => f.endsWith('.dmp'))
      .map((f) => readFileSync(real('minidumps', f)));
    const rnd = mulberry32(12345);
    const bad: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const input = mutate(dumps[i % dumps.length] ?? Buffer.alloc(0), rnd);
      try {
        {
          // The whole pipeline (reader, explanation, stack walk, stack scan, culprits, bucket) is fuzzed.
          const src = new BufferSource(input, `case-${i}`);
          analyzeMinidump(src, readMinidump(src));
        }
      } catch (e) {
        if (!(e instanceof ParseError)) bad.push(`case ${i}: ${String(e)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
