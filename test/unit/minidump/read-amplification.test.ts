import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { analyzeDumpSource } from '../../../src/main/analysis/minidump/analyze-dump';
import { CountingSource } from '../../helpers/counting-source';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { buildDump } from './synthetic-dump';

/**
 * Read amplification (bytes asked of the file / file size) of a whole dump analysis: reader,
 * explanation, stack walk, stack scan. The file is behind a counting source, so the figure is
 * what a file handle would be asked for, in bytes (no timing). Bound: each byte about twice.
 */
const BOUND = 2;

function amplification(bytes: Buffer, name: string): number {
  const src = new CountingSource(new BufferSource(bytes, name));
  analyzeDumpSource(src);
  return src.bytes / bytes.length;
}

describe('minidump read amplification', () => {
  const extra = join(__dirname, '..', '..', 'fixtures-extra', 'minidumps');
  const dirs = [extra, ...(fixturesAvailable() ? [real('minidumps')] : [])];
  const dumps = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.dmp'))
      .map((f) => join(d, f)),
  );

  for (const path of dumps) {
    it(`${path.split('/').pop()}: at most ${BOUND}x its size`, () => {
      const bytes = readFileSync(path);
      let amp = 0;
      try {
        amp = amplification(bytes, path);
      } catch {
        // A dump rejected at the header reads a few bytes; nothing to bound.
      }
      expect(amp).toBeLessThanOrEqual(BOUND);
    });
  }

  it(`a 2.8 MB dump with 300 modules whose names and CodeView records lie 1.4 MB apart: at most ${BOUND}x`, () => {
    // Synthetic (no real multi-MB dump is redistributable): the layout big Windows dumps have,
    // where reading each module's name and then its CodeView record jumps across the file. A
    // single read-ahead window fetched 64 KiB twice per module here (about 40 MB).
    const base = 0x10000000n;
    const dump = buildDump({
      arch: 'amd64',
      module: { base: 0x140000000n, size: 0x100000, name: 'SkyrimSE.exe' },
      moreModules: Array.from({ length: 299 }, (_, i) => ({
        base: base + BigInt(i) * 0x100000n,
        size: 0x80000,
        name: `C:\\Games\\Skyrim Special Edition\\Data\\SKSE\\Plugins\\Plugin${i}.dll`,
      })),
      gap: 1400 * 1024,
      regs: { rip: 0x140001000n, rsp: 0x7ff100n },
      stack: { start: 0x7ff000n, bytes: Buffer.alloc(64 * 1024) },
      memoryList: [{ start: 0x20000000n, bytes: Buffer.alloc(1300 * 1024, 1) }],
    });
    expect(dump.length).toBeGreaterThan(2.7e6);
    expect(amplification(dump, 'many-modules.dmp')).toBeLessThanOrEqual(BOUND);
  });
});
