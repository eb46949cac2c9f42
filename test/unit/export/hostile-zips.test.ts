import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BundleImportError,
  importBundle,
  type ImportLimits,
  type ImportRejection,
} from '../../../src/main/export/bundle-reader';
import { buildZip, manifestFor, type RawEntry } from './zip-bytes';

// Every archive here is built in the test (synthetic, hostile on purpose).

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

describe('hostile bundles are refused, each with its own message, writing nothing outside the import folder', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'ctd-hostile-'));
  const imports = join(sandbox, 'data', 'bundles');
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  const ok = Buffer.from('hello from a log\n');
  let n = 0;

  const expectRejected = async (
    entries: RawEntry[] | Buffer,
    reason: ImportRejection,
    message: RegExp,
    limits?: Partial<ImportLimits>,
  ) => {
    const zip = join(sandbox, `z${++n}.zip`);
    writeFileSync(zip, Buffer.isBuffer(entries) ? entries : buildZip(entries));
    const err = await importBundle(zip, imports, { limits }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BundleImportError);
    expect((err as BundleImportError).reason).toBe(reason);
    expect((err as BundleImportError).message).toMatch(message);
    // Nothing escaped, nothing stayed: the sandbox holds the test's zips and an empty import folder.
    const files = walk(sandbox).map((p) => relative(sandbox, p));
    expect(files.filter((f) => !/^z\d+\.zip$/.test(f))).toEqual([]);
  };
  const withManifest = (extra: RawEntry[], listed = extra) => [
    ...extra,
    {
      name: 'bundle.json',
      data: manifestFor(listed.map((e) => ({ name: e.name, data: e.data ?? Buffer.alloc(0) }))),
    },
  ];

  it('zip slip (../) in the name', () =>
    expectRejected(
      withManifest([{ name: '../evil.txt', data: ok }]),
      'zip-slip',
      /climbs out of the bundle folder/,
    ));
  it('zip slip hidden in a folder path and with backslashes', () =>
    expectRejected(withManifest([{ name: 'logs\\..\\..\\evil.txt', data: ok }]), 'zip-slip', /"\.\.\/"/));
  it('zip slip through the Info-ZIP Unicode path field', () =>
    expectRejected(
      withManifest([
        {
          name: 'fine.txt',
          data: ok,
          extra: (() => {
            const u = Buffer.from('../evil.txt', 'utf8');
            const h = Buffer.alloc(9);
            h.writeUInt16LE(0x7075, 0);
            h.writeUInt16LE(5 + u.length, 2);
            h.writeUInt8(1, 4);
            return Buffer.concat([h, u]);
          })(),
        },
      ]),
      'zip-slip',
      /climbs out/,
    ));
  it('an absolute path', () =>
    expectRejected(withManifest([{ name: '/etc/evil', data: ok }]), 'absolute-path', /absolute path/));
  it('a drive letter', () =>
    expectRejected(
      withManifest([{ name: 'C:/Windows/evil.dll', data: ok }]),
      'drive-letter',
      /drive letter/,
    ));
  it('a drive-relative name', () =>
    expectRejected(withManifest([{ name: 'C:evil.txt', data: ok }]), 'drive-letter', /drive letter/));
  it('a file inside a folder (bundles are flat)', () =>
    expectRejected(withManifest([{ name: 'sub/x.txt', data: ok }]), 'nested', /inside a folder/));
  it('an NTFS alternate data stream', () =>
    expectRejected(
      withManifest([{ name: 'x.txt:Zone.Identifier', data: ok }]),
      'bad-name',
      /alternate data stream/,
    ));
  for (const name of ['CON.txt', 'nul', 'CONIN$', 'conout$.log', 'con .txt', 'LPT1 .log', 'Clock$'])
    it(`a Windows device name: ${JSON.stringify(name)}`, () =>
      expectRejected(withManifest([{ name, data: ok }]), 'bad-name', /names a Windows device/));
  it('a name over 255 bytes: a clean refusal, not ENAMETOOLONG', () =>
    expectRejected(
      withManifest([{ name: `${'é'.repeat(130)}.log`, data: ok }]),
      'bad-name',
      /longer than 255 bytes/,
    ));
  it('a name over 255 characters', () =>
    expectRejected(
      withManifest([{ name: `${'a'.repeat(300)}.log`, data: ok }]),
      'bad-name',
      /longer than 255/,
    ));
  it('a symbolic link (Unix mode bits)', () =>
    expectRejected(
      withManifest([
        { name: 'link.txt', data: Buffer.from('/etc/passwd'), method: 0, attrs: (0o120777 << 16) >>> 0 },
      ]),
      'symlink',
      /symbolic link/,
    ));
  it('a Windows reparse point', () =>
    expectRejected(
      withManifest([{ name: 'junction', data: ok, attrs: 0x410, versionMadeBy: 20 }]),
      'symlink',
      /symbolic link/,
    ));
  it('an encrypted entry', () =>
    expectRejected(withManifest([{ name: 'x.log', data: ok, flags: 0x1 }]), 'encrypted', /encrypted/));
  it('an unsupported compression method', () =>
    expectRejected(
      withManifest([{ name: 'x.log', data: ok, method: 0, compressed: ok }]).map((e, i) =>
        i === 0 ? { ...e, method: 12 as 0 } : e,
      ),
      'unsupported-method',
      /compression method 12/,
    ));
  it('the same name twice', () =>
    expectRejected(
      withManifest(
        [
          { name: 'a.log', data: ok },
          { name: 'a.log', data: ok },
        ],
        [{ name: 'a.log', data: ok }],
      ),
      'duplicate',
      /appears twice/,
    ));
  it('names that differ only by case', () =>
    expectRejected(
      withManifest([
        { name: 'A.log', data: ok },
        { name: 'a.log', data: ok },
      ]),
      'case-duplicate',
      /differ only by case/,
    ));
  it('too many entries', () =>
    expectRejected(
      withManifest(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.log`, data: ok }))),
      'too-many-entries',
      /more than 5 entries/,
      {
        maxEntries: 5,
      },
    ));
  it('a total size over the limit', () =>
    expectRejected(
      withManifest([
        { name: 'a.log', data: Buffer.alloc(4096, 65) },
        { name: 'b.log', data: Buffer.alloc(4096, 66) },
      ]),
      'too-large',
      /unpack to more than/,
      {
        maxTotalBytes: 6000,
      },
    ));
  it('a declared compression ratio of a bomb', () =>
    expectRejected(
      withManifest([
        {
          name: 'bomb.log',
          data: ok,
          compressed: deflateRawSync(Buffer.alloc(1024)),
          declaredSize: 2_000_000_000,
        },
      ]),
      'ratio',
      /compression ratio above 200:1/,
    ));
  it('a lying header: inflates far past its declared size (stopped while streaming)', async () => {
    const huge = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    await expectRejected(
      withManifest([{ name: 'liar.log', data: ok, compressed: huge, declaredSize: 17 }]),
      'size-mismatch',
      /more bytes than its header says/,
    );
  });
  it('an honest header with a bomb ratio (32 MiB of zeros), under a stricter ratio limit', () =>
    expectRejected(
      withManifest([{ name: 'z.log', data: Buffer.alloc(32 * 1024 * 1024) }]),
      'ratio',
      /ratio above 50:1/,
      { maxRatio: 50, ratioSlackBytes: 1024 },
    ));
  it('many honest entries of 16 MB zeros (each under the per-file allowance): refused before any is inflated', async () => {
    // The measured bomb: a small zip whose entries would unpack to 2 GB.
    const zeros = deflateRawSync(Buffer.alloc(16 * 1024 * 1024));
    const entries: RawEntry[] = Array.from({ length: 130 }, (_, i) => ({
      name: `part${i}.log`,
      compressed: zeros,
      declaredSize: 16 * 1024 * 1024,
    }));
    await expectRejected(
      [...entries, { name: 'bundle.json', data: manifestFor([]) }],
      'ratio',
      /compression ratio above 200:1/,
    );
  });
  it('overlapping entries (non-recursive zip bomb)', () =>
    expectRejected(
      [...withManifest([{ name: 'a.log', data: ok }]), { name: 'b.log', data: ok, localOffsetOf: 0 }],
      'overlap',
      /share bytes/,
    ));
  it('not a zip at all', () =>
    expectRejected(Buffer.from('MZ this is an exe, not a zip'), 'not-zip', /Not a zip archive/));
  it('a zip without bundle.json', () =>
    expectRejected([{ name: 'a.log', data: ok }], 'no-manifest', /no bundle\.json/));
  it('bundle.json that is not a manifest', () =>
    expectRejected(
      [{ name: 'bundle.json', data: Buffer.from('{"format":"something-else"}') }],
      'bad-manifest',
      /not a CTD Workbench bundle manifest/,
    ));
  it('a newer bundle format', () =>
    expectRejected(
      [{ name: 'bundle.json', data: manifestFor([], { format_version: 99 }) }],
      'newer-format',
      /format version 99/,
    ));
  it('an entry bundle.json does not list', () =>
    expectRejected(
      withManifest(
        [
          { name: 'a.log', data: ok },
          { name: 'extra.exe', data: ok },
        ],
        [{ name: 'a.log', data: ok }],
      ),
      'unlisted',
      /not listed in bundle\.json/,
    ));
  it('a listed file that is missing', () =>
    expectRejected(
      withManifest(
        [{ name: 'a.log', data: ok }],
        [
          { name: 'a.log', data: ok },
          { name: 'b.log', data: ok },
        ],
      ),
      'missing',
      /does not contain it/,
    ));
  it('a file altered after export (hash)', () =>
    expectRejected(
      [
        { name: 'a.log', data: Buffer.from('hello from a LOG\n') },
        { name: 'bundle.json', data: manifestFor([{ name: 'a.log', data: ok }]) },
      ],
      'hash-mismatch',
      /does not match its SHA-256/,
    ));
  it('a file whose size differs from bundle.json', () =>
    expectRejected(
      [
        { name: 'a.log', data: Buffer.from('hello') },
        { name: 'bundle.json', data: manifestFor([{ name: 'a.log', data: ok }]) },
      ],
      'size-mismatch',
      /5 bytes, bundle\.json says 17/,
    ));

  it('a tampered copy of an imported bundle is refused by content hash, not taken for the old copy', async () => {
    const box = mkdtempSync(join(tmpdir(), 'ctd-tamper-'));
    const into = join(box, 'bundles');
    try {
      const good = withManifest([{ name: 'a.log', data: ok }]);
      const path = join(box, 'orig.zip');
      writeFileSync(path, buildZip(good));
      const a = await importBundle(path, into);
      expect(a.alreadyImported).toBe(false);
      // Same bundle.json, same entry names, other bytes in a.log.
      const tampered = join(box, 'tampered.zip');
      writeFileSync(
        tampered,
        buildZip([{ name: 'a.log', data: Buffer.from('hello from a LOG\n') }, good[1]!]),
      );
      const err = await importBundle(tampered, into).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as BundleImportError).reason).toBe('hash-mismatch');
      // The honest copy is still "already imported"; an imported folder altered on disk is replaced.
      expect((await importBundle(path, into)).alreadyImported).toBe(true);
      writeFileSync(join(a.dir, 'a.log'), 'edited\n');
      const again = await importBundle(path, into);
      expect(again.alreadyImported).toBe(false);
      expect(readdirSync(into)).toEqual([a.dir.split(/[\\/]/).pop()]);
    } finally {
      rmSync(box, { recursive: true, force: true });
    }
  });

  it('a well-formed bundle built with yazl imports, twice idempotently', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(ok, 'a.log');
    zip.addBuffer(manifestFor([{ name: 'a.log', data: ok }]), 'bundle.json');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const path = join(sandbox, 'good.zip');
    writeFileSync(path, Buffer.concat(chunks));
    const a = await importBundle(path, imports);
    expect(a.alreadyImported).toBe(false);
    expect(readdirSync(a.dir).sort()).toEqual(['a.log', 'bundle.json']);
    const b = await importBundle(path, imports);
    expect(b).toMatchObject({ dir: a.dir, alreadyImported: true });
    expect(readdirSync(imports)).toEqual([a.dir.split(/[\\/]/).pop()]);
  });
});
