import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { LISTING_LINE_SQL, listingLine } from './listing-line';

/**
 * The scan's last text listing, kept beside the index (`<index>-listing`), for the next scan
 * that finds nothing changed (issue 15: at 20,000 incidents, reading the listing from the index
 * was a fifth of a no-change rescan; reading it back from this file is a millisecond).
 *
 * Exact, not a guess: the file is keyed by each listed folder's listing stamp (migration 14,
 * folder-listing.ts), which changes with every write to what the listing shows or its order,
 * and by the line's format (the SQL and the JavaScript that build it). The caller takes the key
 * BEFORE it reads the listing: a write between the two then leaves a file whose key no longer
 * matches the index (stamps are random, never reused), so it is never served; the other order
 * could serve an old listing under a new key.
 *
 * A cache, not a record: a missing, foreign, cut or unreadable file only costs reading the
 * listing from the index again, and any failure to write it is ignored. It is written to a
 * temporary file and renamed, so a reader never sees half of one.
 */

const FORMAT = 'ctd-workbench-listing 1';
/** A stray or planted file this big is not ours: 500,000 incidents (the walk's limit) fit. */
const MAX_BYTES = 256 * 1024 * 1024;
/** Bytes of listing buffered before each write to the temporary file. */
const CHUNK = 64 * 1024;
/** The line as built now: a build that changes it never serves another build's file. */
const LINE_FORMAT = createHash('sha256')
  .update(`${LISTING_LINE_SQL}\n${listingLine.toString()}`)
  .digest('hex');

export const listingCachePath = (indexPath: string): string => `${indexPath}-listing`;

/**
 * The key of the listing of `folders` (in this order, repeats included) as the index holds it
 * now, or null when a folder's stamp says nothing (then there is no cache for it).
 */
export function listingKey(
  stampOf: (folder: string) => string | null,
  folders: readonly string[],
): string | null {
  const h = createHash('sha256').update(`${LINE_FORMAT}\n`);
  for (const folder of folders) {
    const stamp = stampOf(folder);
    if (stamp === null) return null;
    h.update(`${folder.length}\t${folder}\t${stamp}\n`);
  }
  return h.digest('hex');
}

/** `<format> <key> <body bytes, 12 digits>\n`: fixed width, so it is written last, in place. */
const header = (key: string, bodyBytes: number) =>
  `${FORMAT} ${key} ${String(bodyBytes).padStart(12, '0')}\n`;
const HEADER_BYTES = Buffer.byteLength(header('0'.repeat(64), 0));

/** The kept listing when its key is `key` and it is whole; else null. */
export function readCachedListing(indexPath: string, key: string): string | null {
  let fd: number;
  try {
    fd = openSync(listingCachePath(indexPath), 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES || size > MAX_BYTES) return null;
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) return null;
      got += n;
    }
    if (buf.toString('latin1', 0, HEADER_BYTES) !== header(key, size - HEADER_BYTES)) return null;
    return buf.toString('utf8', HEADER_BYTES);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Writes a listing as it is printed: flat in memory at any size. */
export class ListingCacheWriter {
  private pending = '';
  private bytes = 0;
  private fd: number | null;

  private constructor(
    private readonly path: string,
    private readonly tmp: string,
    private readonly key: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Null when the temporary file cannot be made (a read-only data folder): no cache then. */
  static start(indexPath: string, key: string): ListingCacheWriter | null {
    const path = listingCachePath(indexPath);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      const w = new ListingCacheWriter(path, tmp, key, fd);
      writeSync(fd, Buffer.alloc(HEADER_BYTES, 0x20));
      return w;
    } catch {
      removeQuietly(tmp);
      return null;
    }
  }

  add(text: string): void {
    if (this.fd === null) return;
    this.pending += text;
    if (this.pending.length >= CHUNK) this.flush();
  }

  /** The listing is whole: it replaces the kept one. */
  commit(): void {
    if (this.fd === null) return;
    this.flush();
    const fd = this.fd;
    if (fd === null) return;
    try {
      writeSync(fd, header(this.key, this.bytes), 0, 'latin1');
      closeSync(fd);
      this.fd = null;
      renameSync(this.tmp, this.path);
    } catch {
      this.abort();
    }
  }

  /** No listing is kept from this one (the listing failed part way). */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed: nothing to release.
      }
      this.fd = null;
    }
    removeQuietly(this.tmp);
  }

  private flush(): void {
    if (this.fd === null || !this.pending) return;
    try {
      const chunk = Buffer.from(this.pending, 'utf8');
      this.pending = '';
      writeSync(this.fd, chunk);
      this.bytes += chunk.length;
    } catch {
      // Disk full or the like: the listing still prints; only the cache is given up.
      this.abort();
    }
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left behind: the next writer of this process id overwrites it.
  }
}
