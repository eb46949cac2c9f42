import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { BytePattern } from '../../../src/main/privacy/byte-matcher';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/** Real text the redaction tests scan: the repo's corpus and fixtures, and the shared real logs. */
const ROOT = join(__dirname, '..', '..', '..');

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

/** The repo's thread crash logs and extra fixtures (dumps, traces), each to be read as text. */
export function corpusAndExtraFiles(): string[] {
  const files = [
    ...filesUnder(join(ROOT, 'test', 'corpus', 'crashlogs')),
    ...filesUnder(join(ROOT, 'test', 'fixtures-extra')),
  ];
  expect(files.length).toBeGreaterThan(50);
  return files;
}

/** The repo's thread crash logs, and the shared real ones where present (CI requires them). */
export function crashLogFiles(): string[] {
  const files = filesUnder(join(ROOT, 'test', 'corpus', 'crashlogs'));
  if (fixturesAvailable()) files.push(...filesUnder(real('crashlogs')).filter((f) => !f.endsWith('.md')));
  return files;
}

/** Needles of the shipped rules that are frequent in crash logs, as matcher patterns. */
export function frequentNeedles(): BytePattern<number>[] {
  return ['@', '+1', '::', ':0', 'home', 'users', 'key', '0.0', '-ba', 'host', 'C:\\Users\\'].map((n, k) => ({
    bytes: Buffer.from(n, 'latin1'),
    data: k,
  }));
}

/** Each file gives the same answer both ways (`want` is the reference). */
export function expectSameOnFiles(
  files: string[],
  got: (b: Buffer) => unknown,
  want: (b: Buffer) => unknown,
): void {
  for (const f of files) {
    const buf = readFileSync(f);
    expect(got(buf), f).toEqual(want(buf));
  }
}

/**
 * The two real-text checks of a "finds the same as without the shortcut" test: the repo corpus
 * and extra fixtures, and every shared real crash log.
 */
export function itFindsTheSameOnRealText(got: (b: Buffer) => unknown, want: (b: Buffer) => unknown): void {
  it('the test corpus and extra fixtures (every file read as text): same spans', () => {
    expectSameOnFiles(corpusAndExtraFiles(), got, want);
  });
  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())('every real crash log: same spans', () => {
    const files = filesUnder(real('crashlogs'));
    expect(files.length).toBeGreaterThan(10);
    expectSameOnFiles(files, got, want);
  });
}

/** The random tests' pattern letters, with case pairs and Latin-1 folds. */
export const ALPHABET = Buffer.from('abAB:+1.\u00c9\u00e9', 'latin1');

export function randomBytes(r: () => number, n: number, from: Uint8Array = ALPHABET): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = from[Math.floor(r() * from.length)]!;
  return b;
}

/** 1-30 random patterns up to 24 bytes (300 for every third seed), the first one twice. */
export function randomPatterns(r: () => number, seed: number): BytePattern<number>[] {
  const count = 1 + Math.floor(r() * 30);
  const longest = 1 + Math.floor(r() * (seed % 3 === 0 ? 300 : 24));
  const patterns: BytePattern<number>[] = [];
  for (let k = 0; k < count; k++)
    patterns.push({ bytes: randomBytes(r, 1 + Math.floor(r() * longest)), data: k });
  // The same bytes twice (two rules sharing a needle).
  patterns.push({ bytes: Buffer.from(patterns[0]!.bytes), data: count });
  return patterns;
}
