import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { dispatch } from '../../../src/main/dispatch';
import { buildIssueMarkdown, GITHUB_BODY_LIMIT } from '../../../src/main/export/issue-report';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import {
  TRANSFER_CHUNK_BYTES,
  type BundleInfo,
  type BundlePreview,
  type ExportResult,
  type ImportResult,
} from '../../../src/shared/contract/bundle';
import type { IncidentDetail } from '../../../src/shared/domain/incident';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';

const SD = ['overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs'];

async function call<T>(wb: Workbench, name: string, req: unknown): Promise<T> {
  const r = await dispatch(wb.handlers, name, req, true);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.res as T;
}

const io = (cwd: string) => Object.assign(captureIo(), { cwd });

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('bundle channels through the composition root (real fixtures)', () => {
  let dir: string;
  let wb: Workbench;
  let crash: IncidentDetail;
  const events: {
    name: string;
    payload: { jobId: string; phase: string; bytesDone: number; bytesTotal: number };
  }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-bundle-ch-'));
    buildSkyrimDiagFolder(join(dir, 'games'));
    // A real ETL beside the 2026-03-18 crash (SkyrimDiag names it after the dump's stem).
    copyFileSync(
      real('etl', 'SelfDescribingSingleEvent.etl'),
      join(dir, 'games', ...SD, 'SkyrimDiag_Crash_20260318_200000_500.etl'),
    );
    wb = await createWorkbench({
      dataDir: join(dir, 'data'),
      transport: 'test',
      emit: (name, payload) => events.push({ name, payload: payload as (typeof events)[number]['payload'] }),
    });
    await wb.ctx.sources.addFolder(join(dir, 'games'));
    const id = wb.ctx.store
      .list({ offset: 0, limit: 100 })
      .items.find((i) => i.capturedAt.startsWith('2026-03-18T20:00'))!.id;
    crash = wb.ctx.store.get(id)!;
  });
  afterAll(async () => {
    await wb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('preview: public leaves the ETL out with a reason, lists the Preflight-less folder files, writes nothing', async () => {
    const p = await call<BundlePreview>(wb, 'bundle:preview', { incidentId: crash.id });
    expect(p.preset).toBe('public');
    const etl = p.files.find((f) => f.role === 'etl')!;
    expect(etl).toMatchObject({ included: false, treatment: null });
    expect(etl.note).toMatch(/cannot be redacted/);
    expect(p.files.find((f) => f.role === 'dump')).toMatchObject({
      included: true,
      treatment: 'sanitized-dump',
    });
    expect(p.files.find((f) => f.name === 'SkyrimDiagHelper.log')).toMatchObject({
      included: true,
      treatment: 'redacted-text',
    });
    expect(p.report?.version).toBe(1);
    expect(existsSync(join(dir, 'data', 'exports'))).toBe(false);
    const withEtl = await call<BundlePreview>(wb, 'bundle:preview', {
      incidentId: crash.id,
      includeEtl: true,
    });
    expect(withEtl.files.find((f) => f.role === 'etl')).toMatchObject({
      included: true,
      treatment: 'copied',
    });
    expect(withEtl.warnings.join(' ')).toMatch(/ETL traces cannot be redacted/);
  });

  let exported: ExportResult;
  it('export: progress events, bundle.json and report.md, downloadable in chunks', async () => {
    events.length = 0;
    exported = await call<ExportResult>(wb, 'bundle:export', { incidentId: crash.id, jobId: 'e1' });
    expect(exported.fileName).toBe('ctd-bundle-crash-20260318-200000-public.zip');
    const mine = events
      .filter((e) => e.name === 'bundle:progress' && e.payload.jobId === 'e1')
      .map((e) => e.payload);
    expect(mine.at(-1)?.phase).toBe('done');
    expect(mine.map((e) => e.phase)).toEqual(expect.arrayContaining(['discover', 'zip']));
    for (const e of mine) expect(e.bytesDone).toBeLessThanOrEqual(e.bytesTotal);
    expect(exported.manifest.files.map((f) => f.name)).toContain('report.md');
    // An independent reader (Info-ZIP, where installed) checks every entry's CRC.
    const unzip = spawnSync('unzip', ['-tq', exported.path], { encoding: 'utf8' });
    if (!unzip.error) expect(unzip.stdout).toMatch(/No errors detected/);
    expect(exported.manifest.excluded.map((e) => e.role)).toEqual(['etl']);
    const parts: Buffer[] = [];
    for (let offset = 0; ;) {
      const c = await call<{ data: string; size: number; done: boolean }>(wb, 'bundle:download', {
        exportId: exported.exportId,
        offset,
        length: TRANSFER_CHUNK_BYTES,
      });
      const b = Buffer.from(c.data, 'base64');
      parts.push(b);
      offset += b.length;
      if (c.done) break;
    }
    const bytes = Buffer.concat(parts);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(exported.sha256);
    expect(bytes.length).toBe(exported.size);
  });

  it('private: files are byte-for-byte copies, and the bundle says it is unredacted', async () => {
    const r = await call<ExportResult>(wb, 'bundle:export', {
      incidentId: crash.id,
      jobId: 'e2',
      preset: 'private',
      includeEtl: true,
    });
    expect(r.manifest).toMatchObject({ preset: 'private', redacted: false, redaction: null });
    for (const a of crash.artifacts) {
      const f = r.manifest.files.find((x) => x.name === a.name)!;
      expect(f.sha256).toBe(a.sha256);
    }
    expect(r.manifest.warnings.join(' ')).toMatch(/nothing is redacted/);
  });

  it('stacks only: the bundled dump keeps thread stacks, says what it left out, and still reads', async () => {
    const r = await call<ExportResult>(wb, 'bundle:export', {
      incidentId: crash.id,
      jobId: 'e4',
      stacksOnly: true,
      // Where the desktop's save dialog put it (the user chose the path, not the page).
      saveToken: wb.ctx.grants.grantSave(join(dir, 'stacks.zip')),
    });
    const dump = r.manifest.files.find((f) => f.role === 'dump')!;
    const original = crash.artifacts.find((a) => a.role === 'dump')!;
    expect(r.exportId).toBeNull();
    expect(r.manifest.warnings.join(' ')).toMatch(/stacks only, \d+ memory ranges/);
    expect(dump.size).toBeLessThanOrEqual(original.size);
    // Dropped on the window: the preload grants exactly that file.
    wb.ctx.grants.grantFile(r.path);
    const imp = await call<ImportResult>(wb, 'bundle:importFile', { path: r.path });
    const back = wb.ctx.store.get(imp.incidentId!)!;
    expect(back.artifacts.find((a) => a.role === 'dump')?.parseStatus).toBe('ok');
    expect(back.verdict?.title).toBe(crash.verdict?.title);
  });

  it('cancel: the export rejects and leaves no partial file', async () => {
    const before = readdirSync(join(dir, 'data', 'exports'));
    events.length = 0;
    const pending = call<ExportResult>(wb, 'bundle:export', {
      incidentId: crash.id,
      jobId: 'e3',
      preset: 'public',
      stacksOnly: true,
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect((await call<{ cancelled: boolean }>(wb, 'bundle:cancel', { jobId: 'e3' })).cancelled).toBe(true);
    const err = await pending;
    expect(err?.message).toMatch(/cancelled/);
    expect(readdirSync(join(dir, 'data', 'exports')).sort()).toEqual(before.sort());
    const tmp = join(dir, 'data', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    expect(events.at(-1)?.payload.phase).toBe('cancelled');
  });

  let imported: ImportResult;
  it('upload in chunks and import: a bundle incident with its redaction report', async () => {
    const bytes = readFileSync(exported.path);
    const { uploadId } = await call<{ uploadId: string }>(wb, 'bundle:uploadBegin', {
      name: exported.fileName,
      size: bytes.length,
    });
    for (let offset = 0; offset < bytes.length; offset += TRANSFER_CHUNK_BYTES)
      await call(wb, 'bundle:uploadChunk', {
        uploadId,
        offset,
        data: bytes.subarray(offset, offset + TRANSFER_CHUNK_BYTES).toString('base64'),
      });
    imported = await call<ImportResult>(wb, 'bundle:uploadEnd', { uploadId });
    expect(imported.alreadyImported).toBe(false);
    expect(readdirSync(join(dir, 'data', 'bundles', '.uploads'))).toEqual([]);
    const inc = wb.ctx.store.get(imported.incidentId!)!;
    expect(inc).toMatchObject({ source: 'bundle', kind: 'crash', capturedAt: crash.capturedAt });
    expect(inc.verdict?.title).toBe(crash.verdict?.title);
    // Grouping read the roles bundle.json recorded.
    for (const f of imported.manifest.files)
      expect(inc.artifacts.find((a) => a.name === f.name)?.role).toBe(f.role);
    const info = await call<BundleInfo>(wb, 'bundle:info', { incidentId: inc.id });
    expect(info.extraFiles).toEqual([]);
    // The report covers every bundled file, bundle.json included.
    expect(info.manifest.redaction?.files.map((f) => f.name).sort()).toEqual(
      [...imported.manifest.files.map((f) => f.name), 'bundle.json'].sort(),
    );
    expect(await call(wb, 'bundle:info', { incidentId: crash.id })).toBeNull();
    // A full rescan finds the same bundle incidents, not new ones.
    const bundles = () =>
      wb.ctx.store
        .list({ offset: 0, limit: 500, source: 'bundle' })
        .items.map((i) => i.id)
        .sort();
    const before = bundles();
    expect(before).toContain(inc.id);
    await wb.ctx.sources.scan();
    expect(bundles()).toEqual(before);
  });

  it('uploads refuse wrong offsets, oversize chunks and non-zip names', async () => {
    await expect(call(wb, 'bundle:uploadBegin', { name: 'x.exe', size: 10 })).rejects.toThrow(/Only \.zip/);
    const { uploadId } = await call<{ uploadId: string }>(wb, 'bundle:uploadBegin', {
      name: 'x.zip',
      size: 4,
    });
    await expect(call(wb, 'bundle:uploadChunk', { uploadId, offset: 2, data: 'AAAA' })).rejects.toThrow(
      /expected 0/,
    );
    await expect(
      call(wb, 'bundle:uploadChunk', { uploadId, offset: 0, data: Buffer.alloc(8).toString('base64') }),
    ).rejects.toThrow(/larger than announced/);
    await expect(call(wb, 'bundle:uploadEnd', { uploadId })).rejects.toThrow(/Unknown or expired/);
  });

  it('extra words from settings are redacted in bundles and issue reports', async () => {
    const s = await call<{ extraWords: string[]; ruleSets: string[] }>(wb, 'bundle:setSettings', {
      extraWords: ['crashme', ' crashme '],
    });
    expect(s.extraWords).toEqual(['crashme']);
    expect(s.ruleSets).toContain('default@1');
    const issue = await call<{ markdown: string; redacted: boolean }>(wb, 'bundle:issue', {
      incidentId: crash.id,
    });
    expect(issue.redacted).toBe(true);
    expect(issue.markdown).not.toMatch(/crashme/i);
    expect(issue.markdown).toContain('<redacted-1>.exe');
    const raw = await call<{ markdown: string }>(wb, 'bundle:issue', { incidentId: crash.id, redact: false });
    expect(raw.markdown).toContain('crashme.exe');
    await call(wb, 'bundle:setSettings', { extraWords: [] });
  });

  it('CLI export --json and import --json; a broken zip exits 2 with the reason', async () => {
    const out = join(dir, 'cli.zip');
    const data = ['--data-dir', join(dir, 'cli-data')];
    let x = io(dir);
    expect(await runCli(['export', join(dir, 'games', ...SD), '--out', out, '--json', ...data], x)).toBe(0);
    const ex = JSON.parse(x.outText) as { path: string; manifest: { files: unknown[] } };
    expect(ex.path).toBe(out);
    x = io(dir);
    expect(await runCli(['import', out, '--json', ...data], x)).toBe(0);
    expect(JSON.parse(x.outText)).toMatchObject({
      alreadyImported: false,
      files: ex.manifest.files.length + 1,
    });
    writeFileSync(join(dir, 'broken.zip'), 'not a zip');
    x = io(dir);
    expect(await runCli(['import', 'broken.zip', '--json', ...data], x)).toBe(2);
    expect(JSON.parse(x.outText)).toMatchObject({ error: { reason: 'not-zip' } });
    x = io(dir);
    expect(await runCli(['export', 'nope', '--out', out, ...data], x)).toBe(2);
    expect(await runCli(['export', join(dir, 'games')], io(dir))).toBe(64);
  });
});

describe('issue report size', () => {
  it("stays under GitHub's 65,536-character limit, shortening the load order and saying so", () => {
    // Synthetic: 6000 plugins (a load order this long is common in Nolvus-sized setups).
    const plugins = Array.from({ length: 6000 }, (_, i) => ({
      index: `FE ${i.toString(16)}`,
      name: `Some Long Plugin Name Number ${i}.esp`,
      light: true,
    }));
    const incident = {
      id: 'x',
      kind: 'crash',
      source: 'crashlogger',
      capturedAt: '2026-04-12T21:30:00',
      title: 'EXCEPTION_ACCESS_VIOLATION at SkyrimSE.exe+0x12F5A',
      signature: 'skyrimse.exe+12f5a',
      status: 'new',
      folder: '/x',
      artifactCount: 1,
      hasErrors: false,
      notes: '',
      verdict: null,
      artifacts: [
        {
          id: 1,
          incidentId: 'x',
          role: 'crashlog',
          path: '/x/crash.log',
          name: 'crash.log',
          size: 1,
          mtimeMs: 0,
          sha256: null,
          parseStatus: 'ok',
          parseError: null,
        },
      ],
    } satisfies IncidentDetail;
    const facts = new Map([
      [
        1,
        {
          crashlog: {
            logger: 'crashlogger',
            game: 'Skyrim SE',
            gameVersion: '1.6.1170',
            callStack: [],
            plugins,
            modules: [],
            sections: {},
          },
        },
      ],
    ]);
    const { markdown, truncated } = buildIssueMarkdown({ incident, facts, appVersion: '0.1.0' });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(truncated).toContain('Load order (excerpt)');
    expect(markdown).toMatch(/… \d+ more not shown \(shortened to fit GitHub's 65,536-character limit\)/);
    expect(markdown).toContain('[FE 0] Some Long Plugin Name Number 0.esp');
    expect(markdown).toContain('- **Game:** Skyrim SE 1.6.1170');
  });
});
