import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { dedupeSource, type DedupeOptions } from '../../../src/main/analysis/logs/dedupe';
import { signatureOf } from '../../../src/main/formats/textlog/mask';
import { papyrusText } from '../../helpers/papyrus-log';
import type { LogPatternSummary } from '../../../src/shared/domain/logs';

/**
 * SYNTHETIC Papyrus log written for this test (no real Papyrus.0.log may be redistributed):
 * two identical errors a few seconds apart with their stack, a warning, VM state lines.
 */
const PAPYRUS = [
  '[01/15/2026 - 08:15:21PM] Papyrus log opened (PC)',
  '[01/15/2026 - 08:15:21PM] Maximum stack depth: 100',
  '',
  '[01/15/2026 - 08:15:30PM] error: Cannot call GetValue() on a None object, aborting function call',
  'stack:',
  '\t[alias A on quest Q (0A012C4B)].S.OnUpdate() - "S.psc" Line 45',
  '[01/15/2026 - 08:15:31PM] VM is frozen',
  '[01/15/2026 - 08:16:02PM] error: Cannot call GetValue() on a None object, aborting function call',
  'stack:',
  '\t[alias A on quest Q (0A012C4B)].S.OnUpdate() - "S.psc" Line 46',
  '[01/15/2026 - 08:17:00PM] warning: Assigning None to a non-object variable named "::temp3"',
  'stack:',
  '\t[Q2 (0B000001)].T.Run() - "T.psc" Line 7',
  '[01/15/2026 - 08:20:00PM] VM is frozen',
  '[01/15/2026 - 08:20:05PM] Log closed',
];

const run = (text: string | Buffer, opts: DedupeOptions = {}) =>
  dedupeSource(new BufferSource(typeof text === 'string' ? Buffer.from(text, 'utf8') : text), opts);

const bySig = (s: LogPatternSummary) => new Map(s.patterns.map((p) => [p.signature, p]));

describe('log pattern dedupe on a Papyrus log', () => {
  it('counts each pattern with first/last line and the log own timestamps', async () => {
    const s = await run(PAPYRUS.join('\r\n') + '\r\n');
    expect(s.flavor).toBe('papyrus');
    expect(s.lines).toBe(15);
    expect(s.blankLines).toBe(1);
    expect(s.firstTs).toBe('2026-01-15T20:15:21.000');
    expect(s.lastTs).toBe('2026-01-15T20:20:05.000');
    const p = bySig(s);
    const err = p.get('<TS> error: Cannot call GetValue() on a None object, aborting function call')!;
    expect(err).toMatchObject({
      severity: 'error',
      count: 2,
      firstLine: 4,
      lastLine: 8,
      firstTs: '2026-01-15T20:15:30.000',
      lastTs: '2026-01-15T20:16:02.000',
      example: PAPYRUS[3],
    });
    // Stack lines carry no time: they take their entry's time and at least its severity.
    expect(p.get('stack:')).toMatchObject({ count: 3, firstLine: 5, lastLine: 12, severity: 'error' });
    expect(p.get('stack:')!.lastTs).toBe('2026-01-15T20:17:00.000');
    expect(p.get(' [alias A on quest Q (<ID>)].S.OnUpdate() - "<STR>" Line <N>')).toMatchObject({
      count: 2,
      firstLine: 6,
      lastLine: 10,
      severity: 'error',
    });
    expect(p.get(' [Q2 (<ID>)].T.Run() - "<STR>" Line <N>')).toMatchObject({ count: 1, severity: 'warning' });
    expect(p.get('<TS> VM is frozen')).toMatchObject({
      count: 2,
      firstLine: 7,
      lastLine: 14,
      severity: 'info',
    });
    expect(s.severityLines).toEqual({ error: 6, warning: 3, info: 5 });
    // Patterns come worst first, then most frequent.
    const rank = { error: 2, warning: 1, info: 0 };
    const ranks = s.patterns.map((x) => rank[x.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(s.patterns[0]!.severity).toBe('error');
    expect(s.patterns[0]!.count).toBe(3);
  });

  it('keeps every error and warning line verbatim, in order', async () => {
    const s = await run(PAPYRUS.join('\n'));
    expect(s.keptLines.map((k) => k.line)).toEqual([4, 5, 6, 8, 9, 10, 11, 12, 13]);
    expect(s.keptLines.map((k) => k.text)).toEqual([3, 4, 5, 7, 8, 9, 10, 11, 12].map((i) => PAPYRUS[i]));
    expect(s.keptLines[8]).toMatchObject({ severity: 'warning', ts: '2026-01-15T20:17:00.000' });
    expect(s.keptOmitted).toBe(0);
  });

  it('gives the same patterns whatever the line endings (CRLF, LF, CR, mixed)', async () => {
    const endings = ['\r\n', '\n', '\r'];
    const mixed = PAPYRUS.map((l, i) => l + endings[i % 3]).join('');
    const ref = await run(PAPYRUS.join('\r\n'));
    for (const text of [PAPYRUS.join('\n'), PAPYRUS.join('\r'), mixed]) {
      const s = await run(text);
      expect(s.lines).toBe(15);
      expect(
        s.patterns.map(({ signature, count, firstLine, lastLine }) => [
          signature,
          count,
          firstLine,
          lastLine,
        ]),
      ).toEqual(
        ref.patterns.map(({ signature, count, firstLine, lastLine }) => [
          signature,
          count,
          firstLine,
          lastLine,
        ]),
      );
    }
  });
});

/** An independent reference: split the whole text, mask each line, count in a Map. */
function reference(text: string, maxSig = 512): { lines: number; counts: Map<string, number> } {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const counts = new Map<string, number>();
  for (const l of lines) {
    const sig = signatureOf(Buffer.from(l, 'utf8').subarray(0, 4096).toString('utf8'), maxSig);
    if (sig) counts.set(sig, (counts.get(sig) ?? 0) + 1);
  }
  return { lines: lines.length, counts };
}

describe('dedupe agrees with a line-by-line reference', () => {
  it('on 20,000 SYNTHETIC Papyrus lines (generator in test/helpers/papyrus-log.ts)', async () => {
    const text = papyrusText(20_000, { seed: 3 });
    const s = await run(text);
    const ref = reference(text);
    expect(s.lines).toBe(ref.lines);
    expect(s.other).toBeNull();
    expect(new Map(s.patterns.map((p) => [p.signature, p.count]))).toEqual(ref.counts);
    expect(s.patterns.reduce((n, p) => n + p.count, 0) + s.blankLines).toBe(s.lines);
  });
});

describe('bounded memory: caps', () => {
  const text = papyrusText(30_000, { seed: 9 });

  it('stops creating patterns at maxPatterns and counts the rest under "other"', async () => {
    const s = await run(text, { maxPatterns: 25 });
    expect(s.patterns).toHaveLength(25);
    expect(s.patternCap).toBe(25);
    expect(s.other).not.toBeNull();
    expect(s.patterns.reduce((n, p) => n + p.count, 0) + s.other!.lines + s.blankLines).toBe(s.lines);
    expect(s.other!.errors + s.other!.warnings).toBeLessThanOrEqual(s.other!.lines);
    expect(s.problems.join(' ')).toMatch(/more than 25 distinct patterns/);
    // Error lines are kept whether or not their pattern fit.
    expect(s.severityLines.error + s.severityLines.warning).toBeGreaterThan(0);
  });

  it('keeps only the first N and the last N error/warning lines', async () => {
    const s = await run(text, { keepFirst: 5, keepLast: 7 });
    const flagged = s.severityLines.error + s.severityLines.warning;
    expect(s.keptLines).toHaveLength(12);
    expect(s.keptOmitted).toBe(flagged - 12);
    const lines = text.split('\r\n');
    const flaggedLines = (await run(text, { keepFirst: 1_000_000, keepLast: 0 })).keptLines.map(
      (k) => k.line,
    );
    expect(s.keptLines.map((k) => k.line)).toEqual([...flaggedLines.slice(0, 5), ...flaggedLines.slice(-7)]);
    for (const k of s.keptLines) expect(k.text).toBe(lines[k.line - 1]);
  });

  it('keeps a bounded line index whose checkpoints point at line starts', async () => {
    const s = await run(text, { maxCheckpoints: 16 });
    const { every, offsets } = s.lineIndex;
    expect(offsets.length).toBeLessThan(16);
    expect(Math.log2(every) % 1).toBe(0);
    const buf = Buffer.from(text, 'utf8');
    const lines = text.split('\r\n');
    offsets.forEach((off, k) => {
      const line = lines[k * every]!;
      expect(buf.subarray(off, off + Buffer.byteLength(line)).toString('utf8')).toBe(line);
    });
  });

  it('signatures are cut at maxSignatureBytes, examples at exampleChars', async () => {
    const long = `error: ${'word '.repeat(400)}`;
    const s = await run(`${long}\n${long}x\n`, { maxSignatureBytes: 64, exampleChars: 30 });
    expect(s.patterns).toHaveLength(1);
    expect(s.patterns[0]!.count).toBe(2);
    expect(Buffer.byteLength(s.patterns[0]!.signature)).toBeLessThanOrEqual(64);
    expect(s.patterns[0]!.example).toHaveLength(31);
    expect(s.patterns[0]!.example.endsWith('…')).toBe(true);
  });
});
