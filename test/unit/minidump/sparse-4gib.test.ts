import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDumpFile, memoryWindow } from '../../../src/main/analysis/minidump/analyze-dump';
import { writeSparseDump } from './synthetic-dump';

// Synthetic (no real multi-GB dump exists in the fixtures): a 4 GiB sparse full-memory dump.
describe('4 GiB sparse dump with a large Memory64List', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-sparse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is analyzed through windowed reads with bounded memory', () => {
    const d = writeSparseDump(join(dir, 'big.dmp'), 4 * 1024 ** 3);
    expect(d.size).toBeGreaterThan(4 * 1024 ** 3 - 4 * 1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    const a = analyzeDumpFile(d.path);
    const grown = process.memoryUsage().rss - rss0;
    expect(a.problems).toEqual([]);
    expect(a.memory).toHaveLength(d.ranges);
    expect(a.verdict).toBe('EXCEPTION_ACCESS_VIOLATION reading 0x10 in Synthetic.exe+0x1234');
    expect(a.stack[0]?.trust).toBe('context');
    // The stack lives at the far end of the file (past 4 GiB of holes) and is still unwound. The
    // return address sits one word above rsp, so (as Breakpad does on x64 Windows) it is found by
    // simulating a return from a leaf function.
    expect(a.stack[1]).toMatchObject({ trust: 'leaf', module: 'Synthetic.exe', moduleOffset: '0x5678' });
    const w = memoryWindow(d.path, d.stackStart + 0x108n, 8);
    const want = Buffer.alloc(8);
    want.writeBigUInt64LE(d.moduleBase + 0x5678n);
    expect(w.bytes).toBe(want.toString('hex'));
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });
});
