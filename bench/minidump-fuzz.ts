/**
 * npm run fuzz:minidump [cases] [seed]
 * Mutates the real fixture dumps (bit flips, truncation at every stream boundary, extreme
 * counts/sizes/RVAs, directory entries pointed at each other) and reports uncaught non-ParseError
 * exceptions, the slowest case and peak heap growth. Targets: zero, <100 ms, <64 MiB.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../src/main/formats/common/byte-source';
import { ParseError } from '../src/main/formats/common/parse-error';
import { readMinidump } from '../src/main/formats/minidump/reader';
import { analyzeMinidump } from '../src/main/analysis/minidump/analyze-dump';
import { real } from '../test/helpers/fixtures';
import { mulberry32 } from '../test/helpers/prng';

const CASES = Number(process.argv[2] ?? 100_000);
const rnd = mulberry32(Number(process.argv[3] ?? 1));
const pick = (n: number): number => Math.floor(rnd() * n);

function boundaries(b: Buffer): number[] {
  const out = [32];
  if (b.length < 32) return out;
  const n = Math.min(b.readUInt32LE(8), 256);
  const dir = b.readUInt32LE(12);
  for (let i = 0; i < n && dir + i * 12 + 12 <= b.length; i++) {
    const rva = b.readUInt32LE(dir + i * 12 + 8);
    out.push(rva, rva + b.readUInt32LE(dir + i * 12 + 4));
  }
  return out.filter((o) => o <= b.length);
}

function mutate(src: Buffer): Buffer {
  const b = Buffer.from(src);
  switch (pick(5)) {
    case 0:
      for (let i = 0; i < 1 + pick(16); i++) {
        const o = pick(b.length);
        b[o] = (b[o] ?? 0) ^ (1 << pick(8));
      }
      return b;
    case 1: {
      const bs = boundaries(src);
      return b.subarray(0, bs[pick(bs.length)] ?? 0);
    }
    case 2: {
      const values = [0xffffffff, 0x7fffffff, 0x80000000, 0, b.length, b.length - 1, 0x10000000];
      const o = Math.min(pick(b.length) & ~3, b.length - 4);
      b.writeUInt32LE(values[pick(values.length)] ?? 0, o);
      return b;
    }
    case 3: {
      // Overlapping/looping ranges: point a directory entry's RVA at the directory or the header.
      const dir = b.readUInt32LE(12);
      const n = b.readUInt32LE(8);
      if (n > 0 && dir + 12 <= b.length) {
        const e = dir + pick(Math.min(n, Math.floor((b.length - dir) / 12))) * 12;
        b.writeUInt32LE(pick(2) === 0 ? dir : 0, e + 8);
      }
      return b;
    }
    default:
      return b.subarray(0, pick(b.length));
  }
}

const dir = real('minidumps');
if (!existsSync(dir)) {
  console.error(`fixtures not found at ${dir}`);
  process.exit(1);
}
// The shared fixtures and the repo's own (test/fixtures-extra: overlapping memory, fast-fail,
// XSAVE contexts, STACK WIN programs).
const extra = join(__dirname, '..', 'test', 'fixtures-extra', 'minidumps');
const dumps = [dir, extra].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.dmp'))
    .map((f) => readFileSync(join(d, f))),
);
const heap0 = process.memoryUsage().heapUsed;
let uncaught = 0;
let parseErrors = 0;
let maxMs = 0;
let maxHeap = 0;
/** The slowest inputs, kept to be timed again alone: a GC pause or a busy machine is not the parser. */
const slowest: { i: number; ms: number; input: Buffer }[] = [];

/** The whole pipeline (reader, explanation, stack walk, stack scan, culprits, bucket). */
function runCase(input: Buffer, i: number): void {
  const src = new BufferSource(input, `case-${i}`);
  analyzeMinidump(src, readMinidump(src));
}

for (let i = 0; i < CASES; i++) {
  const input = mutate(dumps[i % dumps.length] ?? Buffer.alloc(0));
  const t0 = process.hrtime.bigint();
  try {
    runCase(input, i);
  } catch (e) {
    if (e instanceof ParseError) parseErrors++;
    else {
      uncaught++;
      if (uncaught <= 10) console.error(`case ${i}: ${String(e)}`);
    }
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  maxMs = Math.max(maxMs, ms);
  if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
    slowest.push({ i, ms, input });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 5);
  }
  if (i % 1000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed - heap0);
}
const retimed = slowest.map(({ i, ms, input }) => {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    try {
      runCase(input, i);
    } catch {
      // Counted above.
    }
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return `case ${i}: ${ms.toFixed(1)} ms in the run, ${best.toFixed(1)} ms alone (best of 5)`;
});
console.log(
  `cases=${CASES} uncaught=${uncaught} parse_errors=${parseErrors} max_case_ms=${maxMs.toFixed(2)} max_heap_growth_MiB=${(maxHeap / 1048576).toFixed(1)} peak_rss_MiB=${(process.memoryUsage().rss / 1048576).toFixed(1)}`,
);
console.log(`slowest cases, timed again alone:\n  ${retimed.join('\n  ')}`);
process.exit(uncaught === 0 ? 0 : 1);
