import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ListingCacheWriter,
  listingCachePath,
  listingKey,
  readCachedListing,
} from '../../../src/main/store/listing-cache';

/**
 * The scan's kept listing (store/listing-cache.ts) is served only whole and only under the key
 * it was kept with; anything else (missing, another key, cut, grown, planted garbage, a write
 * that failed) reads as "no cache", never as a listing. rescan-shortcut.test.ts runs it through
 * the CLI on real files; listing-stamp.test.ts covers the stamps the key is made of.
 */
describe('the kept listing of a scan', () => {
  let tmp: string;
  let index: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-lcache-'));
    index = join(tmp, 'index.sqlite');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const stamps: Record<string, string | null> = { '/a': 's:A', '/b': 's:B', '/none': 'none', '/lost': null };
  const key = (folders: string[]) =>
    listingKey((f) => (f in stamps ? (stamps[f] as string | null) : 'none'), folders);
  /** Lines past one write chunk, with characters of 1-4 UTF-8 bytes. */
  const text = Array.from(
    { length: 3000 },
    (_, i) => `id${i}  2026-01-02 00:00:00  crash   wer  Ünïcödé 崩溃 🎮 ${i}\n`,
  );

  function keep(k: string, lines = text): void {
    const w = ListingCacheWriter.start(index, k);
    expect(w).not.toBeNull();
    for (const l of lines) w!.add(l);
    w!.commit();
  }

  it('the key is the folders in order, repeats included, and their stamps; no key without a stamp', () => {
    const ab = key(['/a', '/b']);
    expect(ab).toMatch(/^[0-9a-f]{64}$/);
    expect(key(['/a', '/b'])).toBe(ab);
    expect(key(['/b', '/a'])).not.toBe(ab);
    expect(key(['/a', '/b', '/a'])).not.toBe(ab);
    expect(key(['/a'])).not.toBe(key(['/none']));
    expect(key(['/a', '/lost'])).toBeNull();
    stamps['/a'] = 's:A2';
    expect(key(['/a', '/b'])).not.toBe(ab);
    stamps['/a'] = 's:A';
    // A folder name cannot pose as another folder's stamp.
    expect(listingKey(() => 's', ['a\ts'])).not.toBe(listingKey(() => 's\ts', ['a']));
  });

  it('a kept listing reads back whole, byte for byte, under its key only', () => {
    const k = key(['/a'])!;
    keep(k);
    expect(readCachedListing(index, k)).toBe(text.join(''));
    expect(readCachedListing(index, key(['/b'])!)).toBeNull();
    expect(readdirSync(tmp)).toEqual(['index.sqlite-listing']);
    // An empty listing is a listing too.
    keep(k, []);
    expect(readCachedListing(index, k)).toBe('');
  });

  it('a missing, cut, grown or planted file is no listing', () => {
    const k = key(['/a'])!;
    expect(readCachedListing(index, k)).toBeNull();
    keep(k);
    const path = listingCachePath(index);
    const whole = readFileSync(path);
    truncateSync(path, whole.length - 1);
    expect(readCachedListing(index, k)).toBeNull();
    writeFileSync(path, Buffer.concat([whole, Buffer.from('x\n')]));
    expect(readCachedListing(index, k)).toBeNull();
    truncateSync(path, 10);
    expect(readCachedListing(index, k)).toBeNull();
    writeFileSync(path, `ctd-workbench-listing 1 ${k} 000000000000\n`.replace('listing 1', 'listing 9'));
    expect(readCachedListing(index, k)).toBeNull();
    writeFileSync(path, Buffer.alloc(4096, 0));
    expect(readCachedListing(index, k)).toBeNull();
    // Past the size a listing can have (sparse: nothing is written).
    writeFileSync(path, whole);
    truncateSync(path, 257 * 1024 * 1024);
    expect(readCachedListing(index, k)).toBeNull();
  });

  it('a listing given up (aborted, or no folder to write in) leaves the kept one and no stray file', () => {
    const k = key(['/a'])!;
    keep(k);
    const w = ListingCacheWriter.start(index, key(['/b'])!)!;
    for (const l of text) w.add(l);
    w.abort();
    w.add('more');
    w.commit();
    expect(readdirSync(tmp)).toEqual(['index.sqlite-listing']);
    expect(readCachedListing(index, k)).toBe(text.join(''));
    expect(ListingCacheWriter.start(join(tmp, 'no-such-folder', 'index.sqlite'), k)).toBeNull();
    expect(existsSync(join(tmp, 'no-such-folder'))).toBe(false);
  });
});
