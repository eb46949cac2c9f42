import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDumpFile } from '../../../src/main/analysis/minidump/analyze-dump';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { discoverDump, sanitizeDump } from '../../../src/main/privacy/dump-sanitizer';
import { HitCounter } from '../../../src/main/privacy/redactor';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { writeSparseDump } from '../minidump/synthetic-dump';
import { findAnyEncoding, session } from './helpers';

const STACKWALK = join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'minidump',
  'bin',
  'linux-x64',
  'minidump_stackwalk',
);
const hasStackwalk = process.platform === 'linux' && process.arch === 'x64' && existsSync(STACKWALK);

function stackwalk(path: string): { status: number | null; crash: string; thread0: string[] } {
  const r = spawnSync(STACKWALK, ['-m', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = r.stdout.split('\n');
  const crash = lines.find((l) => l.startsWith('Crash|')) ?? '';
  const crashThread = crash.split('|')[3] ?? '0';
  return { status: r.status, crash, thread0: lines.filter((l) => l.startsWith(`${crashThread}|`)) };
}

function verdictOf(path: string): { verdict: string; signature: string; problems: number } | string {
  try {
    const a = analyzeDumpFile(path);
    return { verdict: a.verdict, signature: a.signature, problems: a.problems.length };
  } catch (e) {
    return `error: ${(e as Error).message.replace(path, '<dump>')}`;
  }
}

async function sanitize(src: string, dest: string, stacksOnly: boolean) {
  const s = session();
  await discoverDump(src, s.engine, s.redactor, 'dump');
  const c = new HitCounter();
  const res = await sanitizeDump(src, dest, s.engine, s.redactor, c, 'dump', { stacksOnly });
  return { s, c, res };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('sanitized real dumps still read the same (ours and Breakpad)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-sanitize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dumps = fixturesAvailable() ? readdirSync(real('minidumps')).filter((f) => f.endsWith('.dmp')) : [];

  for (const f of dumps)
    for (const stacksOnly of [false, true])
      it(`${f}${stacksOnly ? ' (stacks only)' : ''}`, async () => {
        const src = real('minidumps', f);
        const dest = join(dir, `${stacksOnly ? 'stacks-' : ''}${f}`);
        const { res } = await sanitize(src, dest, stacksOnly);
        expect(verdictOf(dest)).toEqual(verdictOf(src));
        if (!stacksOnly) expect(statSync(dest).size).toBe(statSync(src).size);
        if (res.parsed) {
          const before = withFileSource(src, readMinidump);
          const after = withFileSource(dest, readMinidump);
          const shape = (m: typeof before) => m.problems.map((p) => [p.stream, p.code, p.offset]);
          expect(shape(after)).toEqual(shape(before));
          expect(after.modules.map((m) => m.name.split('\\').pop())).toEqual(
            before.modules.map((m) => m.name.split('\\').pop()),
          );
          expect(after.threads.map((t) => t.id)).toEqual(before.threads.map((t) => t.id));
          if (stacksOnly) expect(after.memory.length).toBeLessThanOrEqual(before.memory.length);
        }
        if (hasStackwalk) {
          const a = stackwalk(src);
          const b = stackwalk(dest);
          expect(b.status).toBe(a.status);
          expect(b.crash).toBe(a.crash);
          if (stacksOnly) expect(b.thread0[0]).toBe(a.thread0[0]);
          else expect(b.thread0).toEqual(a.thread0);
        }
      });

  it('electron-windows.dmp: the real user, machine and API key are gone from every byte, any encoding', async () => {
    const src = real('minidumps', 'electron-windows.dmp');
    const dest = join(dir, 'electron-scrubbed.dmp');
    const { s, c } = await sanitize(src, dest, false);
    const found = s.identities.list().map((i) => `${i.category}:${i.token}`);
    expect(found).toEqual(expect.arrayContaining(['user:<user>', 'machine:<machine>']));
    const original = readFileSync(src);
    const out = readFileSync(dest);
    // These values occur in the real fixture (its environment block and module paths).
    for (const v of ['kevin', 'DESKTOP-RN6P185', 'AIzaSyAQfxPJiounkhOjODEO5ZieffeBv6yft2Q']) {
      expect(findAnyEncoding(original, v).length).toBeGreaterThan(0);
      expect(findAnyEncoding(out, v)).toEqual([]);
    }
    expect(c.hits.get('profile-path') ?? 0).toBeGreaterThan(0);
    // Module paths keep their shape and length: "kevin" (5 characters) becomes "<use>".
    const md = withFileSource(dest, readMinidump);
    expect(md.modules[0]!.name).toMatch(/^C:\\users\\<use>\\Downloads\\/i);
  });

  it('tiny-exe (Crashpad): handle names and the environment lose the domain/machine "cet" and user paths', async () => {
    const src = real('minidumps', 'tiny-exe-with-cet-xsave.dmp');
    const dest = join(dir, 'tiny-scrubbed.dmp');
    await sanitize(src, dest, false);
    const out = readFileSync(dest);
    expect(findAnyEncoding(readFileSync(src), 'COMPUTERNAME=CET').length).toBeGreaterThan(0);
    expect(findAnyEncoding(out, 'COMPUTERNAME=CET')).toEqual([]);
    expect(findAnyEncoding(out, 'USERDOMAIN=cet')).toEqual([]);
    const md = withFileSource(dest, readMinidump);
    expect(md.handles.length).toBe(withFileSource(src, readMinidump).handles.length);
  });
});

describe('stacks only on a full-memory dump (Memory64List)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-stacks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Synthetic (no real full-memory dump is among the fixtures): 64 MiB, 1000+ ranges, one stack.
  it('drops every range but the stack, cuts the file, and the stack still unwinds', async () => {
    const d = writeSparseDump(join(dir, 'full.dmp'), 64 * 1024 * 1024);
    const before = analyzeDumpFile(d.path);
    const dest = join(dir, 'stacks.dmp');
    const { res } = await sanitize(d.path, dest, true);
    expect(res.droppedRanges).toBe(d.ranges - 1);
    expect(statSync(dest).size).toBeLessThan(1024 * 1024);
    const after = analyzeDumpFile(dest);
    expect(after.problems).toEqual([]);
    expect(after.memory).toHaveLength(1);
    expect(after.verdict).toBe(before.verdict);
    expect(after.stack.slice(0, 2)).toEqual(before.stack.slice(0, 2));
    if (hasStackwalk) expect(stackwalk(dest).status).toBe(0);
  });
});
