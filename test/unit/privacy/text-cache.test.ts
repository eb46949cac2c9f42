import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanCache } from '../../../src/main/privacy/scan-cache';
import type { RedactionSession } from '../../../src/main/privacy/session';
import { findAnyEncoding, redactFile as redactShared, session } from './helpers';

// Every value below is SYNTHETIC (a made-up name, address and host) planted to test the cache.

const MB = 1024 * 1024;

/** Filler lines of crash-log shape, `bytes` long or a little more. */
function filler(bytes: number): string {
  const line = '[Papyrus] Warning: frame 0x7FF6A1B2C3D4 SkyrimSE.exe+0x1A2B3C v1.6.1170.0\n';
  return line.repeat(Math.ceil(bytes / line.length));
}

/** The shared helper, with the total hit count. */
async function redactFile(
  path: string,
  s: RedactionSession,
  o: { cache?: ScanCache; between?: () => void } = {},
): Promise<{ out: Buffer; hits: number }> {
  const r = await redactShared(path, s, o);
  return { out: r.out, hits: r.counter.total };
}

describe('text files are scanned once (ScanCache)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-text-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the redaction pass scans nothing when nothing was learned late, and writes the same bytes', async () => {
    const p = join(dir, 'known.log');
    writeFileSync(
      p,
      `${filler(3 * MB)}home C:\\Users\\qorvandel\\Documents\n${filler(3 * MB)}mail qorvandel.x@example.org\n`,
    );
    const local = [{ category: 'user' as const, value: 'qorvandel', learnedFrom: 'USERNAME' }];
    const plain = await redactFile(p, session(local));
    const s = session(local);
    const cache = new ScanCache(s.engine);
    // The e-mail is learned in the last piece: the pieces before it are searched again for
    // identity literals only (no rule), and nothing is scanned in full.
    let scans = 0;
    const cached = await redactFile(p, s, {
      cache,
      between: () => {
        const orig = s.engine.scan.bind(s.engine);
        s.engine.scan = (...a: Parameters<typeof orig>) => {
          if (a[2] !== 'literals') scans++;
          return orig(...a);
        };
      },
    });
    expect(cached.out.equals(plain.out)).toBe(true);
    expect(cached.hits).toBe(plain.hits);
    expect(findAnyEncoding(cached.out, 'qorvandel')).toEqual([]);
    expect(scans).toBe(0);
  });

  it('a name learned after a piece was read is still replaced in that piece', async () => {
    const p = join(dir, 'late.log');
    // The bare name comes first, 4 MB before the profile path that teaches it.
    writeFileSync(p, `hello from velmorath\n${filler(4 * MB)}C:\\Users\\velmorath\\AppData\\Local\n`);
    const plain = await redactFile(p, session());
    const s = session();
    const cached = await redactFile(p, s, { cache: new ScanCache(s.engine) });
    expect(findAnyEncoding(cached.out, 'velmorath')).toEqual([]);
    expect(cached.out.equals(plain.out)).toBe(true);
  });

  it('a file changed between the passes is scanned again', async () => {
    const p = join(dir, 'changed.log');
    writeFileSync(p, `${filler(3 * MB)}nothing here\n`);
    const s = session();
    const { out } = await redactFile(p, s, {
      cache: new ScanCache(s.engine),
      // Same length, new content: a host name in a UNC path the discovery never saw.
      between: () => writeFileSync(p, `${filler(3 * MB)}\\\\ZEPHRAN\\a\\\n`),
    });
    expect(findAnyEncoding(out, 'ZEPHRAN')).toEqual([]);
  });

  it('past its span budget the cache drops the file and the result is the same', async () => {
    const p = join(dir, 'many.log');
    const lines = Array.from({ length: 400 }, (_, i) => `peer 10.1.${i % 250}.${(i % 200) + 1} ok\n`).join(
      '',
    );
    writeFileSync(p, `${lines}${filler(3 * MB)}${lines}`);
    const plain = await redactFile(p, session());
    const s = session();
    const cached = await redactFile(p, s, { cache: new ScanCache(s.engine, 50) });
    expect(cached.out.equals(plain.out)).toBe(true);
    expect(cached.hits).toBe(plain.hits);
  });
});
