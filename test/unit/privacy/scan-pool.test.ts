import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ByteEngine } from '../../../src/main/privacy/byte-engine';
import { ScanPool, type ScanResult } from '../../../src/main/privacy/scan-pool';
import type { RedactionSession } from '../../../src/main/privacy/session';
import type { TextPassOptions } from '../../../src/main/privacy/text-file';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { findAnyEncoding, redactFile as redactShared, session } from './helpers';

// The values planted below are SYNTHETIC (made-up names, addresses and hosts).

const MB = 1024 * 1024;
/** The text pass reads 2 MiB at a time (text-file.ts CHUNK). */
const CHUNK = 2 * MB;

type Pool = NonNullable<TextPassOptions['workers']>;

/** Discovery (with the cache, optionally on `pool`), then redaction: the bundle writer's path. */
async function redactFile(
  path: string,
  s: RedactionSession,
  pool?: Pool,
): Promise<{ out: Buffer; hits: Record<string, number>; tokens: string[]; onWorkers: number }> {
  const r = await redactShared(path, s, { cache: s.scanCache, workers: pool });
  const tokens = s.table.all().map((i) => `${i.token}=${i.value}`);
  return { out: r.out, hits: r.counter.toRecord(), tokens, onWorkers: r.onWorkers };
}

/**
 * Crash-log-shaped text with synthetic values straddling every 2 MiB read boundary (a few bytes
 * before and after it), names that appear before the line that teaches them and bare again in
 * the next piece, and e-mails, hosts and IPs learned all along the file.
 */
function boundaryText(total: number): Buffer {
  const line = 'frame 0x7FF6A1B2C3D4 SkyrimSE.exe+0x1A2B3C v1.6.1170.0 [Papyrus] Warning\n';
  const values = (i: number) => [
    `mail: qel${i}.varn@example.org\n`,
    `path C:\\Users\\thandrel${i}\\Documents\\My Games\\Skyrim\n`,
    `peer 10.${i % 250}.77.${(i * 7) % 250} hostname=ORLEN-PC${i}\n`,
    `early mention of dravik${i + 1} before its profile path\n`,
    `C:\\Users\\dravik${i}\\AppData\\Local\n`,
    // Learned one boundary (one piece) before: the pieces after it may be scanned before that.
    `later mention of dravik${i - 1} and thandrel${i - 1}, mail qel${i - 1}.varn@example.org\n`,
  ];
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  for (let k = 1; size < total; k++) {
    const boundary = k * CHUNK;
    // Filler up to a little before the boundary, then values across it.
    const before = boundary - size - 40 - (k % 5) * 13;
    if (before > 0) {
      const text = line.repeat(Math.ceil(before / line.length)).slice(0, before);
      parts.push(text);
      size += text.length;
    }
    for (const v of values(i++)) {
      parts.push(v);
      size += v.length;
    }
  }
  return Buffer.from(parts.join(''), 'latin1');
}

/** A pool that scans in this thread at submission but answers later, checking its bytes were left alone. */
function slowPool(): Pool & { submitted: number; clobbered: number } {
  const p = {
    submitted: 0,
    clobbered: 0,
    available: true,
    minBytes: 0,
    trySubmit(engine: ByteEngine, bytes: Buffer): Promise<ScanResult> | null {
      if (!(bytes.buffer instanceof SharedArrayBuffer) || p.submitted % 3 === 2) {
        p.submitted++;
        return null;
      }
      p.submitted++;
      const copy = Buffer.from(bytes);
      const r = { ...engine.scanDeferred(bytes, 'text'), version: engine.identities.version };
      return new Promise((resolve) =>
        setTimeout(() => {
          // The read buffer must not have been reused while the piece was "on the worker".
          if (!copy.equals(bytes)) p.clobbered++;
          resolve(r);
        }, 3),
      );
    },
  };
  return p;
}

describe('discovery shared with scan workers gives the single-thread output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-scan-pool-'));
  const pool = new ScanPool(1, 0);
  afterAll(() => {
    pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const local = [{ category: 'user' as const, value: 'benchmarkuser', learnedFrom: 'USERNAME' }];
  /** The file through `pool` and in one thread: the same bytes, hit counts and stand-ins. */
  const sameAsOneThread = async (p: string, withPool: Pool) => {
    // Workers get pieces only once loaded: wait for that, or a small file may never use them.
    if (withPool instanceof ScanPool) await withPool.warm();
    const plain = await redactFile(p, session(local));
    const pooled = await redactFile(p, session(local), withPool);
    expect(pooled.onWorkers).toBeGreaterThan(0);
    expect(pooled.out.equals(plain.out)).toBe(true);
    expect(pooled.hits).toEqual(plain.hits);
    expect(pooled.tokens).toEqual(plain.tokens);
    return { plain, pooled };
  };

  it('values straddling every read boundary, names learned late: identical bytes, hits and stand-ins', async () => {
    const p = join(dir, 'boundaries.log');
    writeFileSync(p, boundaryText(13 * MB));
    const { plain, pooled } = await sameAsOneThread(p, pool);
    // Not vacuous: every planted kind was replaced, the late-learned names included.
    for (const k of ['qel3.varn@example.org', 'thandrel4', 'dravik5', 'ORLEN-PC2'])
      expect(findAnyEncoding(pooled.out, k)).toEqual([]);
    expect(Object.keys(plain.hits).length).toBeGreaterThan(3);
  });

  it('a read buffer is never reused while a piece of it is still being scanned', async () => {
    const p = join(dir, 'slow.log');
    writeFileSync(p, boundaryText(11 * MB));
    const slow = slowPool();
    const { pooled } = await sameAsOneThread(p, slow);
    expect(pooled.onWorkers).toBeGreaterThan(2);
    expect(slow.clobbered).toBe(0);
  });

  it('a pool that fails midway: its pieces are scanned here, same output', async () => {
    const p = join(dir, 'closed.log');
    writeFileSync(p, boundaryText(9 * MB));
    const failing = new ScanPool(1, 0);
    await failing.warm();
    let n = 0;
    const wrapped: Pool = {
      get available() {
        return failing.available;
      },
      minBytes: 0,
      trySubmit(engine, bytes) {
        const r = failing.trySubmit(engine, bytes);
        // Closing answers every piece still on the worker from this thread.
        if (r && ++n === 2) failing.close();
        return r;
      },
    };
    await sameAsOneThread(p, wrapped);
    expect(n).toBe(2);
  });

  // The shared fixtures hold the real logs; without them there is nothing real to repeat (CI
  // sets CTD_REQUIRE_FIXTURES, so it never skips there).
  it.skipIf(!fixturesAvailable())(
    'every real crash log, repeated past the pool threshold: identical',
    async () => {
      const root = real('crashlogs');
      const parts: Buffer[] = [];
      for (const d of readdirSync(root))
        for (const f of readdirSync(join(root, d))) parts.push(readFileSync(join(root, d, f)));
      const all = Buffer.concat(parts);
      const p = join(dir, 'real.log');
      writeFileSync(p, Buffer.concat(Array.from({ length: Math.ceil((10 * MB) / all.length) }, () => all)));
      await sameAsOneThread(p, pool);
    },
  );
});

// A CLI export awaits the workers' answers and nothing else: the pool must keep the process up
// while it owes one, and must not keep it up once idle (its idle timer is 15 s).
describe('scan workers and the life of the process', () => {
  const script = (body: string) => `
    const { ScanPool } = require(${JSON.stringify(join(__dirname, '../../../src/main/privacy/scan-pool.ts'))});
    const { session } = require(${JSON.stringify(join(__dirname, 'helpers.ts'))});
    (async () => { ${body} })();`;
  const run = (body: string) => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script(body)], {
      encoding: 'utf8',
      cwd: join(__dirname, '../../..'),
      timeout: 60_000,
    });
    return { out: r.stdout, err: r.stderr, status: r.status, ms: Date.now() - t0 };
  };

  it('a process awaiting only a worker scan waits for it, and one with an idle pool ends at once', () => {
    const busy = run(`
      const pool = new ScanPool(1, 0);
      await pool.warm();
      const s = session();
      const bytes = Buffer.from(new SharedArrayBuffer(64));
      bytes.write('mail ostrevainq@example.org\\n');
      // Nothing but the worker's answer keeps the event loop alive from here.
      const r = await pool.trySubmit(s.engine, bytes);
      console.log('answered', r.found.length);
      console.log('idle');`);
    expect(busy.err).toBe('');
    expect(busy.out).toContain('answered 1');
    expect(busy.out).toContain('idle');
    expect(busy.status).toBe(0);
    // Well under the 15 s idle timer (the worker's start under tsx is most of it).
    expect(busy.ms).toBeLessThan(12_000);
  });
});
