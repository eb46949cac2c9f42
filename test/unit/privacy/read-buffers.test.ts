import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../../../src/main/privacy/buffer-pool';
import { HitCounter } from '../../../src/main/privacy/redactor';
import { ScanCache } from '../../../src/main/privacy/scan-cache';
import { TEXT_READ_BUFFER, textFilePass } from '../../../src/main/privacy/text-file';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { mulberry32 } from '../../helpers/prng';
import { session } from './helpers';

/**
 * The redaction pass with pooled read buffers: unchanged runs go out as views of a buffer that
 * is read into again once every view of it came back. A consumer that keeps a few parts before
 * using them (as the zip writer keeps pieces compressing) must still see exactly the bytes of a
 * pass with fresh buffers. The text is the real crash logs (the shared fixtures, or the repo's
 * thread corpus), repeated past several read buffers, with a synthetic name planted late so some
 * pieces are rewritten.
 */
function realText(): Buffer {
  const parts: Buffer[] = [];
  const roots = fixturesAvailable() ? [real('crashlogs')] : [];
  roots.push(join(__dirname, '..', '..', 'corpus', 'crashlogs'));
  for (const root of roots)
    for (const d of readdirSync(root, { withFileTypes: true })) {
      const path = join(root, d.name);
      if (d.isDirectory()) for (const f of readdirSync(path)) parts.push(readFileSync(join(path, f)));
      else if (/\.(txt|log)$/i.test(d.name)) parts.push(readFileSync(path));
    }
  return Buffer.concat(parts);
}

describe('redaction with pooled read buffers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-read-buffers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = realText();
  const path = join(dir, 'big.log');
  const copies: Buffer[] = [];
  for (let n = 0; n < 9 * 1024 * 1024; n += base.length) copies.push(base);
  // SYNTHETIC: a made-up account name taught near the end, also present bare earlier.
  copies.splice(1, 0, Buffer.from('\nlast seen by ostrevainq\n'));
  copies.push(Buffer.from('\nGAME PATH: C:\\Users\\ostrevainq\\Games\\SkyrimSE.exe\n'));
  writeFileSync(path, Buffer.concat(copies));

  async function redact(o: { pool?: BufferPool; seed?: number }): Promise<{ out: Buffer; hits: number }> {
    const s = session();
    const cache = new ScanCache(s.engine);
    await textFilePass(path, { engine: s.engine, purpose: 'discover', learnedFrom: 'f', cache });
    const rnd = mulberry32(o.seed ?? 1);
    const held: Buffer[] = [];
    const out: Buffer[] = [];
    // Consume the oldest held part: copy its bytes, then hand it back.
    const consume = () => {
      const b = held.shift()!;
      out.push(Buffer.from(b));
      o.pool?.give(b);
    };
    const c = new HitCounter();
    await textFilePass(path, {
      engine: s.engine,
      purpose: 'redact',
      cache,
      learnedFrom: 'f',
      counter: c,
      tokenOf: s.tokenOf,
      buffers: o.pool,
      write: async (b) => {
        held.push(b);
        // Keep 0-6 parts back, and let other work run in between, as a zip writer does.
        while (held.length > Math.floor(rnd() * 7)) consume();
        await new Promise((r) => setImmediate(r));
      },
    });
    while (held.length) consume();
    return { out: Buffer.concat(out), hits: c.total };
  }

  it('writes the same bytes as fresh buffers, and reuses buffers', async () => {
    const fresh = await redact({});
    expect(fresh.hits).toBeGreaterThan(0);
    expect(fresh.out.includes('ostrevainq')).toBe(false);
    for (const seed of [1, 2, 3]) {
      const pool = new BufferPool(TEXT_READ_BUFFER, 8);
      let reused = 0;
      const seen = new WeakSet<Buffer>();
      const take = pool.take.bind(pool);
      pool.take = (n) => {
        const b = take(n);
        if (seen.has(b)) reused++;
        seen.add(b);
        return b;
      };
      const pooled = await redact({ pool, seed });
      expect(pooled.out.equals(fresh.out)).toBe(true);
      expect(pooled.hits).toBe(fresh.hits);
      // Every buffer came back.
      expect(pool.inUse).toBe(0);
      expect(reused).toBeGreaterThan(0);
    }
  });

  it('a buffer is not read into while a view of it is still held', async () => {
    const pool = new BufferPool(TEXT_READ_BUFFER, 8);
    const a = pool.take(TEXT_READ_BUFFER);
    const view = a.subarray(10, 20);
    pool.lend(view);
    pool.give(a);
    expect(pool.take(TEXT_READ_BUFFER)).not.toBe(a);
    pool.give(view);
    // Given back twice: the second is ignored.
    pool.give(view);
    expect(pool.take(TEXT_READ_BUFFER)).toBe(a);
  });
});
