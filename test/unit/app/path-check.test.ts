import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isInside,
  isUncPath,
  PathGrants,
  requireAllowedPath,
  uncShare,
} from '../../../src/main/sources/path-check';
import { requireAddableFolder } from '../../../src/main/features/path-policy';
import type { WorkbenchContext } from '../../../src/main/context';

describe('network paths', () => {
  it('knows every UNC spelling, and local device paths are not UNC', () => {
    for (const p of [
      '\\\\host\\share\\x.zip',
      '//host/share/x.zip',
      '\\\\?\\UNC\\host\\share\\x.zip',
      '\\\\.\\UNC\\host\\share',
      '\\\\host.example.org@SSL\\DavWWWRoot\\x',
    ])
      expect(isUncPath(p), p).toBe(true);
    for (const p of ['C:\\Users\\x', '\\\\?\\C:\\Users\\x', '\\\\.\\C:\\x', '/home/x', 'relative\\x'])
      expect(isUncPath(p), p).toBe(false);
    expect(uncShare('\\\\?\\UNC\\Host\\Share\\a\\b')).toBe('host\\share');
    expect(uncShare('//HOST/share/a')).toBe('host\\share');
  });

  it('refuses a UNC path unless the user added that share', () => {
    const policy = { roots: ['C:\\Games\\Crashes'], platform: 'win32' as const };
    expect(() => requireAllowedPath('\\\\evil\\share\\b.zip', policy, 'The bundle')).toThrow(/network share/);
    expect(() => requireAllowedPath('\\\\?\\UNC\\evil\\share\\b.zip', policy, 'The bundle')).toThrow(
      /network share/,
    );
    const added = { roots: ['\\\\nas\\crashes'], platform: 'win32' as const };
    expect(requireAllowedPath('\\\\NAS\\Crashes\\2026\\b.zip', added, 'The bundle')).toBe(
      '\\\\NAS\\Crashes\\2026\\b.zip',
    );
    expect(() => requireAllowedPath('\\\\nas\\other\\b.zip', added, 'The bundle')).toThrow(/network share/);
  });

  it('the desktop adds a share only from the folder dialog or a drop; a typed path (serve) may add one', () => {
    const ctx = (transport: WorkbenchContext['transport'], grants = new PathGrants('win32')) =>
      ({ transport, grants }) as unknown as WorkbenchContext;
    expect(() => requireAddableFolder(ctx('electron'), '\\\\evil\\share')).toThrow(/folder dialog/);
    const g = new PathGrants('win32');
    g.grantFolder('\\\\nas\\crashes');
    expect(requireAddableFolder(ctx('electron', g), '\\\\NAS\\crashes')).toBe('\\\\NAS\\crashes');
    expect(requireAddableFolder(ctx('serve'), '\\\\nas\\crashes')).toBe('\\\\nas\\crashes');
    expect(requireAddableFolder(ctx('electron'), 'C:\\Games')).toBe('C:\\Games');
  });
});

describe('inside the folders the user added', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-paths-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compares normalised paths, case-folded on Windows, and never by prefix alone', () => {
    expect(isInside('C:\\Games\\Crashes\\a.log', 'c:\\games\\crashes', 'win32')).toBe(true);
    expect(isInside('C:\\Games\\CrashesOld\\a.log', 'C:\\Games\\Crashes', 'win32')).toBe(false);
    expect(isInside('C:\\Games\\Crashes\\..\\..\\Windows', 'C:\\Games\\Crashes', 'win32')).toBe(false);
    expect(isInside('/srv/crashes/../etc/passwd', '/srv/crashes', 'linux')).toBe(false);
    expect(isInside('/srv/Crashes/a', '/srv/crashes', 'linux')).toBe(false);
  });

  it('a link inside an added folder that points outside it is refused; granted files pass', () => {
    const root = join(dir, 'added');
    const outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'link'));
    const policy = { roots: [root], grants: new PathGrants() };
    expect(requireAllowedPath(join(root, 'a.zip'), policy, 'The bundle')).toBe(join(root, 'a.zip'));
    expect(() => requireAllowedPath(join(root, 'link', 'b.zip'), policy, 'The bundle')).toThrow(
      /outside the folders you added/,
    );
    expect(() => requireAllowedPath('relative.zip', policy, 'The bundle')).toThrow(/absolute path/);
    policy.grants.grantFile(join(outside, 'picked.zip'));
    expect(requireAllowedPath(join(outside, 'picked.zip'), policy, 'The bundle')).toBe(
      join(outside, 'picked.zip'),
    );
    // A granted file does not open its folder.
    expect(() => requireAllowedPath(join(outside, 'other.zip'), policy, 'The bundle')).toThrow();
  });

  it('save tokens are one-time', () => {
    const g = new PathGrants();
    const t = g.grantSave('/x/b.zip');
    expect(g.takeSave(t)).toBe('/x/b.zip');
    expect(g.takeSave(t)).toBeNull();
  });
});
