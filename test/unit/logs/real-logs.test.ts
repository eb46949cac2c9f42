import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupeFile, dedupeSource } from '../../../src/main/analysis/logs/dedupe';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { signatureOf } from '../../../src/main/formats/textlog/mask';
import { readRawWindow } from '../../../src/main/formats/textlog/raw-window';
import { sourceEncoding } from '../../../src/main/formats/textlog/read-lines';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { mulberry32 } from '../../helpers/prng';

/**
 * REAL crash logs (Buffout 4, NetScriptFramework, Crash Logger; fixtures/real/crashlogs) read
 * as "any text log": the dedupe must agree line for line with a naive split-and-mask
 * reference, and corrupting them must never make it throw.
 */
const logs = (): string[] =>
  ['buffout4-fo4', 'skyrim-nsf-nolvus', 'skyrim-mocked'].flatMap((d) =>
    readdirSync(real('crashlogs', d))
      .filter((f) => !f.endsWith('.md'))
      .map((f) => real('crashlogs', d, f)),
  );

function reference(buf: Buffer): { lines: string[]; counts: Map<string, number> } {
  const lines = buf.toString('utf8').split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const counts = new Map<string, number>();
  for (const l of lines) {
    const sig = signatureOf(Buffer.from(l, 'utf8').subarray(0, 4096).toString('utf8'), 512);
    if (sig) counts.set(sig, (counts.get(sig) ?? 0) + 1);
  }
  return { lines, counts };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('real crash logs as text logs', () => {
  it('every log: line count and per-pattern counts match the reference', async () => {
    const files = logs();
    expect(files.length).toBeGreaterThanOrEqual(29);
    for (const f of files) {
      const buf = readFileSync(f);
      const s = await dedupeFile(f);
      const ref = reference(buf);
      expect(s.encoding, f).toBe('utf-8');
      expect(s.lines, f).toBe(ref.lines.length);
      expect(new Map(s.patterns.map((p) => [p.signature, p.count])), f).toEqual(ref.counts);
      // Fewer patterns than lines: repeated shapes (module lists, stack frames) fold.
      expect(s.patterns.length, f).toBeLessThan(ref.lines.length);
    }
  });

  it('NetScriptFramework: module and stack lines fold into patterns, the exception line is an error', async () => {
    const s = await dedupeFile(real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'));
    const first = s.patterns.find((p) => p.firstLine === 1)!;
    expect(first.signature).toBe(
      'Unhandled native exception occurred at <HEX> (JContainers64.dll+<HEX>) on thread <N>!',
    );
    expect(first.severity).toBe('error');
    const frames = s.patterns.filter((p) => p.signature.startsWith(' [<N>] <HEX>'));
    expect(frames.reduce((n, p) => n + p.count, 0)).toBeGreaterThan(1);
  });

  it('raw windows of a real log equal its lines, from any start', async () => {
    const f = real('crashlogs', 'skyrim-nsf-nolvus', 'Gravelord_-_Crash_2024_3_21.txt');
    const buf = readFileSync(f);
    const { lines } = reference(buf);
    const s = await dedupeSource(new BufferSource(buf), { maxCheckpoints: 8 });
    const src = new BufferSource(buf);
    const enc = sourceEncoding(src);
    for (const from of [1, 2, s.lineIndex.every, s.lineIndex.every + 1, 777, lines.length - 3]) {
      const w = await readRawWindow(src, enc, s.lineIndex, from, 50);
      const want = lines.slice(from - 1, from - 1 + 50);
      const got = w.text.split('\n');
      expect(got.length, `from ${from}`).toBe(want.length);
      want.forEach((l, k) => {
        // Lines past 4,000 characters come cut, with their length noted.
        if (l.length > 4000) expect(got[k]!.startsWith(`${l.slice(0, 4000)} … [line cut:`)).toBe(true);
        else expect(got[k], `line ${from + k}`).toBe(l);
      });
      expect(w.toLine).toBe(from - 1 + want.length);
    }
    const past = await readRawWindow(src, enc, s.lineIndex, lines.length + 10, 5);
    expect(past).toMatchObject({ text: '', toLine: lines.length + 9, eof: true });
  });

  it('corrupted real logs (flipped bytes, cuts, NULs, CRs, 0xFF runs) never throw', async () => {
    const files = logs();
    const rnd = mulberry32(2026);
    for (let i = 0; i < 60; i++) {
      const f = files[i % files.length]!;
      const b = Buffer.from(readFileSync(f));
      const kind = Math.floor(rnd() * 5);
      let bad: Buffer = b;
      if (kind === 0) for (let k = 0; k < 200; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      else if (kind === 1) bad = b.subarray(0, Math.floor(rnd() * b.length));
      else if (kind === 2) for (let k = 0; k < 200; k++) b[Math.floor(rnd() * b.length)] = 0;
      else if (kind === 3) for (let k = 0; k < 500; k++) b[Math.floor(rnd() * b.length)] = 0x0d;
      else b.fill(0xff, Math.floor(rnd() * b.length), Math.floor(rnd() * b.length));
      const s = await dedupeSource(new BufferSource(bad), { maxPatterns: 200 });
      expect(s.patterns.length).toBeLessThanOrEqual(200);
      expect(s.patterns.reduce((n, p) => n + p.count, 0) + (s.other?.lines ?? 0) + s.blankLines).toBe(
        s.lines,
      );
      const enc = sourceEncoding(new BufferSource(bad));
      const w = await readRawWindow(new BufferSource(bad), enc, s.lineIndex, Math.max(1, s.lines - 5), 10);
      expect(w.toLine).toBeLessThanOrEqual(s.lines);
    }
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('helper: fixture list', () => {
  it('finds the logs', () =>
    expect(logs().some((f) => f.endsWith(join('buffout4-fo4', 'crash-2024-01-30-11-15-15.log')))).toBe(true));
});
