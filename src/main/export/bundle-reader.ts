import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { BUNDLE_FORMAT_VERSION, BundleManifest } from '../../shared/domain/bundle';
import { parseJsonText } from '../../shared/text';
import { formatIssues } from '../../shared/zod-issues';

/**
 * Imports a bundle .zip into the workbench's imports folder. A bundle is untrusted input:
 * every entry name is checked before anything is written (no "../", no absolute paths or drive
 * letters, no folders, no names Windows cannot hold), links, encrypted entries and duplicate
 * names (also differing only by case) are refused, and size limits (entry count, total bytes,
 * compression ratio) are enforced while inflating, not taken from the headers. Each file must
 * match the size and SHA-256 that bundle.json lists. Files are extracted to a fresh temporary
 * folder inside the imports folder and renamed into place only when all of them passed.
 */
export type ImportRejection =
  | 'not-zip'
  | 'zip-slip'
  | 'absolute-path'
  | 'drive-letter'
  | 'nested'
  | 'bad-name'
  | 'symlink'
  | 'encrypted'
  | 'unsupported-method'
  | 'duplicate'
  | 'case-duplicate'
  | 'too-many-entries'
  | 'too-large'
  | 'ratio'
  | 'overlap'
  | 'no-manifest'
  | 'bad-manifest'
  | 'newer-format'
  | 'unlisted'
  | 'missing'
  | 'size-mismatch'
  | 'hash-mismatch';

export class BundleImportError extends Error {
  readonly code = 'bad_request';
  constructor(
    readonly reason: ImportRejection,
    message: string,
  ) {
    super(message);
    this.name = 'BundleImportError';
  }
}

export interface ImportLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Inflated bytes allowed per compressed byte (beyond `ratioSlackBytes`). */
  maxRatio: number;
  /** Small, very compressible files (JSON, logs of repeated lines) are always fine. */
  ratioSlackBytes: number;
  maxManifestBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 16 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxRatio: 200,
  ratioSlackBytes: 16 * 1024 * 1024,
  maxManifestBytes: 8 * 1024 * 1024,
};

export interface ImportedBundle {
  dir: string;
  manifest: BundleManifest;
  alreadyImported: boolean;
  warnings: string[];
}

interface CheckedEntry {
  entry: yauzl.Entry;
  name: string;
}

/** Device names Windows opens instead of a file, whatever extension follows ("nul.txt", "con .log"). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;
/** The longest file name NTFS and ext4 hold: 255 UTF-16 units / 255 bytes. */
const MAX_NAME = 255;

function isWindowsDevice(base: string): boolean {
  // Windows drops trailing spaces and dots of the part before the first dot: "con .txt" is CON.
  const stem = base.split('.')[0]!.replace(/[ .]+$/, '');
  return WINDOWS_DEVICES.test(stem) || WINDOWS_DEVICES.test(base.replace(/[ .]+$/, ''));
}

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) =>
    yauzl.open(
      path,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false },
      (err, zip) => (err || !zip ? rej(err ?? new Error('cannot open')) : res(zip)),
    ),
  );
}

function readEntries(zip: yauzl.ZipFile, limits: ImportLimits): Promise<yauzl.Entry[]> {
  return new Promise((res, rej) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      if (out.length > limits.maxEntries) {
        rej(tooMany(limits));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => res(out));
    zip.on('error', rej);
    zip.readEntry();
  });
}

function tooMany(limits: ImportLimits): BundleImportError {
  return new BundleImportError(
    'too-many-entries',
    `The bundle has more than ${limits.maxEntries.toLocaleString('en')} entries; a CTD Workbench bundle has a handful. Refusing it (possible zip bomb).`,
  );
}

/** The entry's name as the writer meant it: UTF-8 when flagged, the Info-ZIP Unicode field, else CP437. */
function decodeName(e: yauzl.Entry): string[] {
  const raw = e.fileName as unknown as Buffer;
  const names: string[] = [];
  if (e.generalPurposeBitFlag & 0x800) {
    const s = raw.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(raw))
      throw new BundleImportError('bad-name', 'An entry name is not valid UTF-8; refusing the bundle.');
    names.push(s);
  } else
    names.push(
      /[\x80-\xff]/.test(raw.toString('latin1')) ? iconv.decode(raw, 'cp437') : raw.toString('latin1'),
    );
  for (const f of e.extraFields ?? []) {
    // 0x7075: Info-ZIP Unicode Path (version, CRC of the raw name, UTF-8 name). A second name
    // an extractor may prefer, so it must pass the same checks.
    if (f.id === 0x7075 && f.data.length > 5) names.push(f.data.subarray(5).toString('utf8'));
  }
  return names;
}

export function checkEntryName(name: string): { name: string; directory: boolean } {
  const show = JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);
  if (/\p{Cc}/u.test(name))
    throw new BundleImportError('bad-name', `Entry ${show} has control characters in its name.`);
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/'))
    throw new BundleImportError(
      'absolute-path',
      `Entry ${show} is an absolute path; bundles only hold plain file names.`,
    );
  if (/^[A-Za-z]:/.test(unified))
    throw new BundleImportError(
      'drive-letter',
      `Entry ${show} starts with a drive letter; bundles only hold plain file names.`,
    );
  const parts = unified.split('/');
  if (parts.some((p) => p === '..'))
    throw new BundleImportError(
      'zip-slip',
      `Entry ${show} climbs out of the bundle folder ("../"); refusing it.`,
    );
  const directory = unified.endsWith('/');
  const segments = parts.filter((p, i) => !(directory && i === parts.length - 1));
  if (segments.length > 1 || (directory && segments.length > 0 && segments[0] === ''))
    throw new BundleImportError(
      'nested',
      `Entry ${show} is inside a folder; a bundle is a flat list of files.`,
    );
  const base = segments[0] ?? '';
  if (!directory) {
    if (!base || base === '.')
      throw new BundleImportError('bad-name', `Entry ${show} has no usable file name.`);
    if (base.length > MAX_NAME || Buffer.byteLength(base, 'utf8') > MAX_NAME)
      throw new BundleImportError(
        'bad-name',
        `Entry ${show} has a name longer than ${MAX_NAME} bytes, more than a file system holds.`,
      );
    if (base.includes(':'))
      throw new BundleImportError(
        'bad-name',
        `Entry ${show} names an alternate data stream (":"); refusing it.`,
      );
    if (/[<>"|?*]/.test(base) || /[. ]$/.test(base))
      throw new BundleImportError('bad-name', `Entry ${show} is not a valid Windows file name.`);
    if (isWindowsDevice(base))
      throw new BundleImportError(
        'bad-name',
        `Entry ${show} names a Windows device (CON, NUL, CONIN$…), not a file; refusing it.`,
      );
  }
  return { name: base, directory };
}

function checkEntry(e: yauzl.Entry): CheckedEntry | null {
  const names = decodeName(e);
  let checked: { name: string; directory: boolean } | null = null;
  for (const n of names) {
    const c = checkEntryName(n);
    checked ??= c;
  }
  const { name, directory } = checked!;
  const unixMode = (e.externalFileAttributes >>> 16) & 0o170000;
  // Unix mode bits say "link"; or the Windows attributes say "reparse point" (links, junctions).
  if (unixMode === 0o120000 || e.externalFileAttributes & 0x400)
    throw new BundleImportError(
      'symlink',
      `Entry ${JSON.stringify(name)} is a symbolic link; bundles never contain links.`,
    );
  if (unixMode !== 0 && unixMode !== 0o100000 && unixMode !== 0o040000)
    throw new BundleImportError(
      'symlink',
      `Entry ${JSON.stringify(name)} is a special file (not a regular file).`,
    );
  if (e.generalPurposeBitFlag & 0x41)
    throw new BundleImportError(
      'encrypted',
      `Entry ${JSON.stringify(name)} is encrypted; bundles are never password-protected.`,
    );
  if (directory) return null;
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8)
    throw new BundleImportError(
      'unsupported-method',
      `Entry ${JSON.stringify(name)} uses compression method ${e.compressionMethod}; only stored and deflate are accepted.`,
    );
  return { entry: e, name };
}

function ratioLimit(compressed: number, limits: ImportLimits): number {
  return compressed * limits.maxRatio + limits.ratioSlackBytes;
}

function checkDeclared(list: CheckedEntry[], limits: ImportLimits): void {
  let total = 0;
  let compressed = 0;
  const exact = new Set<string>();
  const folded = new Map<string, string>();
  for (const { entry: e, name } of list) {
    if (exact.has(name))
      throw new BundleImportError(
        'duplicate',
        `Entry ${JSON.stringify(name)} appears twice; refusing an ambiguous bundle.`,
      );
    exact.add(name);
    const f = name.normalize('NFC').toLowerCase();
    const other = folded.get(f);
    if (other !== undefined)
      throw new BundleImportError(
        'case-duplicate',
        `Entries ${JSON.stringify(other)} and ${JSON.stringify(name)} differ only by case; they would overwrite each other on Windows.`,
      );
    folded.set(f, name);
    if (e.uncompressedSize > limits.maxEntryBytes)
      throw new BundleImportError(
        'too-large',
        `Entry ${JSON.stringify(name)} would unpack to ${e.uncompressedSize.toLocaleString('en')} bytes, over the ${limits.maxEntryBytes.toLocaleString('en')}-byte limit.`,
      );
    total += e.uncompressedSize;
    if (total > limits.maxTotalBytes)
      throw new BundleImportError(
        'too-large',
        `The bundle would unpack to more than ${limits.maxTotalBytes.toLocaleString('en')} bytes; refusing it (possible zip bomb).`,
      );
    compressed += e.compressedSize;
    // The ratio of the whole archive so far, with one allowance for small compressible files:
    // a slack per entry would let a thousand 16 MB entries of zeros through.
    if (total > ratioLimit(compressed, limits))
      throw new BundleImportError(
        'ratio',
        `Entry ${JSON.stringify(name)} claims a compression ratio above ${limits.maxRatio}:1; refusing it (possible zip bomb).`,
      );
  }
  // Entries whose data overlap (the "non-recursive zip bomb" trick) cannot come from a writer.
  const spans = list
    .map(({ entry: e, name }) => ({
      name,
      start: e.relativeOffsetOfLocalHeader,
      end: e.relativeOffsetOfLocalHeader + 30 + e.compressedSize,
    }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++)
    if (spans[i]!.start < spans[i - 1]!.end)
      throw new BundleImportError(
        'overlap',
        `Entries ${JSON.stringify(spans[i - 1]!.name)} and ${JSON.stringify(spans[i]!.name)} share bytes (a zip bomb trick); refusing the bundle.`,
      );
}

function openStream(zip: yauzl.ZipFile, e: yauzl.Entry): Promise<Readable> {
  return new Promise((res, rej) =>
    zip.openReadStream(e, (err, s) => (err || !s ? rej(err ?? new Error('no stream')) : res(s))),
  );
}

/** Counts, limits and hashes inflated bytes as they come (headers are not trusted). */
class Guard extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(
    private readonly name: string,
    private readonly declared: number,
    private readonly limits: ImportLimits,
    private readonly total: { bytes: number; compressed: number },
    private readonly cap: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, d?: Buffer) => void): void {
    this.bytes += chunk.length;
    this.total.bytes += chunk.length;
    const n = JSON.stringify(this.name);
    if (this.bytes > this.declared)
      return cb(
        new BundleImportError(
          'size-mismatch',
          `Entry ${n} unpacks to more bytes than its header says; refusing the bundle (possible zip bomb).`,
        ),
      );
    if (this.bytes > this.cap)
      return cb(
        new BundleImportError(
          'too-large',
          `Entry ${n} is larger than bundle.json says; refusing the bundle.`,
        ),
      );
    if (this.total.bytes > this.limits.maxTotalBytes)
      return cb(
        new BundleImportError(
          'too-large',
          `The bundle unpacks to more than ${this.limits.maxTotalBytes.toLocaleString('en')} bytes; refusing it.`,
        ),
      );
    if (this.total.bytes > ratioLimit(this.total.compressed, this.limits))
      return cb(
        new BundleImportError(
          'ratio',
          `Entry ${n} inflates beyond a ${this.limits.maxRatio}:1 ratio; refusing it (possible zip bomb).`,
        ),
      );
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

async function readSmall(zip: yauzl.ZipFile, e: CheckedEntry, limits: ImportLimits): Promise<Buffer> {
  if (e.entry.uncompressedSize > limits.maxManifestBytes)
    throw new BundleImportError(
      'bad-manifest',
      `bundle.json is ${e.entry.uncompressedSize} bytes; refusing an oversized manifest.`,
    );
  const guard = new Guard(
    e.name,
    e.entry.uncompressedSize,
    limits,
    { bytes: 0, compressed: e.entry.compressedSize },
    limits.maxManifestBytes,
  );
  const chunks: Buffer[] = [];
  guard.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(await openStream(zip, e.entry), guard);
  return Buffer.concat(chunks);
}

function parseManifest(bytes: Buffer): BundleManifest {
  let json: unknown;
  try {
    json = parseJsonText(bytes.toString('utf8'));
  } catch (err) {
    throw new BundleImportError('bad-manifest', `bundle.json is not valid JSON (${(err as Error).message}).`);
  }
  const version = (json as { format_version?: unknown } | null)?.format_version;
  if (typeof version === 'number' && version > BUNDLE_FORMAT_VERSION)
    throw new BundleImportError(
      'newer-format',
      `This bundle uses format version ${version}; this CTD Workbench reads up to ${BUNDLE_FORMAT_VERSION}. Update CTD Workbench to open it.`,
    );
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success)
    throw new BundleImportError(
      'bad-manifest',
      `bundle.json is not a CTD Workbench bundle manifest: ${formatIssues(parsed.error, { max: 3 })}`,
    );
  return parsed.data;
}

/** The folder holds this manifest and every file it lists, with the listed SHA-256. */
async function sameBundle(dir: string, manifestBytes: Buffer, manifest: BundleManifest): Promise<boolean> {
  try {
    if (!(await readFile(join(dir, 'bundle.json'))).equals(manifestBytes)) return false;
    for (const f of manifest.files) {
      const h = createHash('sha256');
      await pipeline(createReadStream(join(dir, f.name)), h);
      if (h.digest('hex') !== f.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export async function importBundle(
  zipPath: string,
  importsDir: string,
  opts: { limits?: Partial<ImportLimits>; signal?: AbortSignal } = {},
): Promise<ImportedBundle> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let zip: yauzl.ZipFile;
  try {
    zip = await open(zipPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw new BundleImportError('not-zip', `Not a zip archive, or a damaged one: ${(err as Error).message}`);
  }
  const root = resolve(importsDir);
  let tmp: string | null = null;
  try {
    if (zip.entryCount > limits.maxEntries) throw tooMany(limits);
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip, limits);
    } catch (err) {
      if (err instanceof BundleImportError) throw err;
      throw new BundleImportError('not-zip', `The zip's file list is damaged: ${(err as Error).message}`);
    }
    const checked = entries.map(checkEntry).filter((x): x is CheckedEntry => x !== null);
    checkDeclared(checked, limits);
    const manifestEntry = checked.find((c) => c.name === 'bundle.json');
    if (!manifestEntry)
      throw new BundleImportError(
        'no-manifest',
        'This zip has no bundle.json, so it is not a CTD Workbench bundle.',
      );
    const manifestBytes = await readSmall(zip, manifestEntry, limits);
    const manifest = parseManifest(manifestBytes);
    const listed = new Map(manifest.files.map((f) => [f.name, f]));
    for (const f of manifest.files) checkEntryName(f.name);
    for (const c of checked)
      if (c !== manifestEntry && !listed.has(c.name))
        throw new BundleImportError(
          'unlisted',
          `Entry ${JSON.stringify(c.name)} is not listed in bundle.json; refusing the bundle.`,
        );
    const byName = new Map(checked.map((c) => [c.name, c]));
    for (const f of manifest.files)
      if (!byName.has(f.name))
        throw new BundleImportError(
          'missing',
          `bundle.json lists ${JSON.stringify(f.name)}, but the zip does not contain it.`,
        );

    const id = createHash('sha256').update(manifestBytes).digest('hex').slice(0, 16);
    const dest = join(root, `bundle-${id}`);
    await mkdir(root, { recursive: true });

    tmp = join(root, `.incoming-${randomBytes(8).toString('hex')}`);
    await mkdir(tmp);
    const total = { bytes: 0, compressed: 0 };
    for (const c of checked) {
      opts.signal?.throwIfAborted();
      const target = resolve(tmp, c.name);
      // Belt and braces: the name checks above already make this impossible.
      if (!target.startsWith(tmp + sep) || target.slice(tmp.length + 1).includes(sep))
        throw new BundleImportError(
          'zip-slip',
          `Entry ${JSON.stringify(c.name)} would be written outside the import folder.`,
        );
      // "wx": never replace a file or follow a link that is already there.
      if (c === manifestEntry) {
        await writeFile(target, manifestBytes, { flag: 'wx' });
        continue;
      }
      const want = listed.get(c.name)!;
      // Inflated bytes are held to the ratio of the archive read so far (this entry included).
      total.compressed += c.entry.compressedSize;
      const guard = new Guard(c.name, c.entry.uncompressedSize, limits, total, want.size);
      await pipeline(await openStream(zip, c.entry), guard, createWriteStream(target, { flags: 'wx' }));
      const sha = guard.hash.digest('hex');
      if (guard.bytes !== want.size)
        throw new BundleImportError(
          'size-mismatch',
          `Entry ${JSON.stringify(c.name)} is ${guard.bytes} bytes, bundle.json says ${want.size}; the bundle is damaged or was altered.`,
        );
      if (sha !== want.sha256)
        throw new BundleImportError(
          'hash-mismatch',
          `Entry ${JSON.stringify(c.name)} does not match its SHA-256 in bundle.json; the bundle is damaged or was altered.`,
        );
    }
    // Only now, with every entry verified against bundle.json: the same bundle imported before
    // (same manifest, and its files still hash to it) is that copy; a tampered zip never got here.
    if (await sameBundle(dest, manifestBytes, manifest))
      return { dir: dest, manifest, alreadyImported: true, warnings: [] };
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
    tmp = null;
    const warnings = [...manifest.warnings];
    if (!manifest.redacted) warnings.push('This is a private (unredacted) bundle.');
    return { dir: dest, manifest, alreadyImported: false, warnings };
  } finally {
    zip.close();
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}
