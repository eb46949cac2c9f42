import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../../../src/main/privacy/buffer-pool';
import { ZipWriter } from '../../../src/main/export/zip-writer';
import { readZip } from './read-zip';

// Synthetic contents (random bytes, zeros, repeated text) exercise the writer's paths.
describe('zip writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-zipw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mixed = Buffer.concat([
    Buffer.alloc(6 << 20),
    randomBytes(3 << 20),
    Buffer.from('hello world '.repeat(90_000)),
  ]);
  const entries: [string, Buffer, number][] = [
    ['empty.txt', Buffer.alloc(0), 6],
    ['small.txt', Buffer.from('hi there\n'), 6],
    ['stored.bin', randomBytes(100_000), 0],
    ['mixed 김철수.bin', mixed, 1],
  ];

  for (const forceZip64 of [false, true])
    it(`parallel-deflated entries read back byte for byte${forceZip64 ? ' (zip64 records)' : ''}`, async () => {
      const path = join(dir, `t-${forceZip64}.zip`);
      const out = createWriteStream(path);
      const z = new ZipWriter(out, { forceZip64 });
      for (const [name, data, level] of entries) {
        // Odd chunk sizes, as streams deliver them.
        async function* chunks() {
          const sizes = [100, 5 << 20, 3, 70_000];
          for (let at = 0, i = 0; at < data.length; i++) {
            const n = sizes[i % sizes.length]!;
            yield data.subarray(at, at + n);
            at += n;
          }
        }
        const r = await z.add(name, chunks(), { mtime: new Date(2026, 3, 12, 21, 30, 0), level });
        expect(r.size).toBe(data.length);
      }
      await z.finish();
      await new Promise<void>((res) => out.end(() => res()));
      const back = await readZip(path);
      expect([...back.keys()]).toEqual(entries.map((e) => e[0]));
      for (const [name, data] of entries)
        expect(createHash('sha256').update(back.get(name)!).digest('hex')).toBe(
          createHash('sha256').update(data).digest('hex'),
        );
      // Info-ZIP checks every CRC, where it is installed.
      const unzip = spawnSync('unzip', ['-tq', path], { encoding: 'utf8' });
      if (!unzip.error) expect(unzip.stdout).toMatch(/No errors detected/);
    });
});

// A producer that refills whatever buffer the writer hands back: if the writer recycled a chunk
// while its bytes were still being compressed, the entry would read back wrong.
describe('zip writer: recycled chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-zipr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands each pool chunk back once, after compressing it, and the entry reads back exactly', async () => {
    const size = 4 << 20;
    const pool = new BufferPool(size, 8);
    const expected = createHash('sha256');
    let given = 0;
    let reused = 0;
    const seen = new WeakSet<Buffer>();
    async function* chunks() {
      for (let i = 0; i < 12; i++) {
        const n = i === 11 ? 1234 : size;
        const b = pool.take(n);
        if (seen.has(b)) reused++;
        seen.add(b);
        // Different bytes each time (some compressible, some not), so a stale reuse shows.
        if (i % 3 === 0) b.fill(i);
        else randomBytes(n).copy(b);
        expected.update(b);
        yield b;
      }
    }
    const path = join(dir, 'r.zip');
    const out = createWriteStream(path);
    const z = new ZipWriter(out);
    await z.add('dump.dmp', chunks(), {
      mtime: new Date(2026, 3, 12),
      level: 1,
      recycle: (c) => {
        given++;
        pool.give(c);
      },
    });
    await z.finish();
    await new Promise<void>((res) => out.end(() => res()));
    const back = await readZip(path);
    expect(createHash('sha256').update(back.get('dump.dmp')!).digest('hex')).toBe(expected.digest('hex'));
    expect(given).toBe(12);
    // Three pieces in flight at most, so buffers came back and were filled again.
    expect(reused).toBeGreaterThan(4);
  });

  it('the pool takes back only what it handed out, once', () => {
    const pool = new BufferPool(16, 2);
    const a = pool.take(16);
    pool.give(Buffer.alloc(16));
    pool.give(a);
    pool.give(a);
    expect(pool.take(16)).toBe(a);
    expect(pool.take(16)).not.toBe(a);
    // Other sizes are never pooled.
    const odd = pool.take(5);
    pool.give(odd);
    expect(pool.take(5)).not.toBe(odd);
  });
});
