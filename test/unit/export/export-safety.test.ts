import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { dispatch } from '../../../src/main/dispatch';
import { cleanStaleExports, previewBundle, writeBundle } from '../../../src/main/export/bundle-writer';
import { defaultRules } from '../../../src/main/privacy/rules';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type { ExportResult, ImportResult } from '../../../src/shared/contract/bundle';
import type { IncidentDetail } from '../../../src/shared/domain/incident';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { fileIncident } from '../../helpers/file-incident';
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';
import { readZip } from './read-zip';

const SD = ['overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs'];

async function call<T>(wb: Workbench, name: string, req: unknown): Promise<T> {
  const r = await dispatch(wb.handlers, name, req, true);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.res as T;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'exports: nothing silent, nothing left behind, only where the user chose',
  () => {
    let dir: string;
    let wb: Workbench;
    let crash: IncidentDetail;
    let etlOnly: IncidentDetail;
    const events: { name: string; payload: { jobId: string; phase: string; message: string } }[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ctd-export-safety-'));
      buildSkyrimDiagFolder(join(dir, 'games'));
      // A real ETL beside a crash, and one alone (a hang whose only file is its trace).
      copyFileSync(
        real('etl', 'SelfDescribingSingleEvent.etl'),
        join(dir, 'games', ...SD, 'SkyrimDiag_Crash_20260318_200000_500.etl'),
      );
      // In a folder of its own: SkyrimDiag's folder-level helper log would join it otherwise.
      mkdirSync(join(dir, 'hang'));
      copyFileSync(
        real('etl', 'SelfDescribingSingleEvent.etl'),
        join(dir, 'hang', 'SkyrimDiag_Hang_20260101_120000_000.etl'),
      );
      wb = await createWorkbench({
        dataDir: join(dir, 'data'),
        transport: 'test',
        emit: (name, payload) =>
          events.push({ name, payload: payload as (typeof events)[number]['payload'] }),
      });
      await wb.ctx.sources.addFolder(join(dir, 'games'));
      await wb.ctx.sources.addFolder(join(dir, 'hang'));
      const all = wb.ctx.store.list({ offset: 0, limit: 100 }).items.map((i) => wb.ctx.store.get(i.id)!);
      crash = all.find((i) => i.capturedAt.startsWith('2026-03-18T20:00'))!;
      etlOnly = all.find((i) => i.artifacts.length > 0 && i.artifacts.every((a) => a.role === 'etl'))!;
    });
    afterAll(async () => {
      await wb?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an export with nothing to include fails with the reason (serve answers, CLI exits 2), writing nothing', async () => {
      expect(etlOnly).toBeDefined();
      events.length = 0;
      const r = await dispatch(wb.handlers, 'bundle:export', { incidentId: etlOnly.id, jobId: 'empty' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('bad_request');
      expect(r.error.message).toMatch(/Nothing to export: every file is left out \(.*\.etl: ETL traces/);
      expect(events.at(-1)?.payload).toMatchObject({ jobId: 'empty', phase: 'failed' });
      const exports = join(dir, 'data', 'exports');
      expect(existsSync(exports) ? readdirSync(exports) : []).toEqual([]);
      const io = Object.assign(captureIo(), { cwd: dir });
      const code = await runCli(
        ['export', etlOnly.id, '--out', join(dir, 'cli.zip'), '--data-dir', join(dir, 'data')],
        io,
      );
      expect(code).toBe(2);
      expect(io.errText).toMatch(/error: Nothing to export/);
      expect(existsSync(join(dir, 'cli.zip'))).toBe(false);
    });

    it('"Private" leaves the ETL out unless "Include ETL traces" is ticked', async () => {
      const without = await call<ExportResult>(wb, 'bundle:export', {
        incidentId: crash.id,
        jobId: 'p1',
        preset: 'private',
      });
      expect(without.manifest.files.some((f) => f.role === 'etl')).toBe(false);
      expect(without.manifest.excluded.map((e) => e.reason).join(' ')).toMatch(/Include ETL traces/);
      const withEtl = await call<ExportResult>(wb, 'bundle:export', {
        incidentId: crash.id,
        jobId: 'p2',
        preset: 'private',
        includeEtl: true,
      });
      expect(withEtl.manifest.files.some((f) => f.role === 'etl')).toBe(true);
    });

    it('the count shown is the zip entry count; a second export of the same incident is a new file', async () => {
      const a = await call<ExportResult>(wb, 'bundle:export', { incidentId: crash.id, jobId: 'c1' });
      const b = await call<ExportResult>(wb, 'bundle:export', { incidentId: crash.id, jobId: 'c2' });
      expect(a.entries).toBe((await readZip(a.path)).size);
      expect(b.path).not.toBe(a.path);
      expect(b.fileName).toMatch(/-2\.zip$/);
    });

    it('the renderer cannot name a destination: an outPath is dropped, a made-up save token refused', async () => {
      const evil = join(dir, 'evil', 'deep', 'x.zip');
      const r = await call<ExportResult>(wb, 'bundle:export', {
        incidentId: crash.id,
        jobId: 'o1',
        outPath: evil,
      });
      expect(r.path.startsWith(join(dir, 'data', 'exports'))).toBe(true);
      expect(existsSync(join(dir, 'evil'))).toBe(false);
      await expect(
        call(wb, 'bundle:export', { incidentId: crash.id, jobId: 'o2', saveToken: 'abcdef0123456789' }),
      ).rejects.toThrow(/expired; choose where to save/);
    });

    it('a save-dialog destination is used once, replaces only what the dialog confirmed, creates no folder', async () => {
      const chosen = join(dir, 'chosen.zip');
      writeFileSync(chosen, 'an older bundle the user agreed to replace');
      const token = wb.ctx.grants.grantSave(chosen);
      const r = await call<ExportResult>(wb, 'bundle:export', {
        incidentId: crash.id,
        jobId: 's1',
        saveToken: token,
      });
      expect(r).toMatchObject({ path: chosen, exportId: null });
      expect(statSync(chosen).size).toBe(r.size);
      await expect(
        call(wb, 'bundle:export', { incidentId: crash.id, jobId: 's2', saveToken: token }),
      ).rejects.toThrow(/expired/);
      const missing = wb.ctx.grants.grantSave(join(dir, 'no-such-folder', 'b.zip'));
      await expect(
        call(wb, 'bundle:export', { incidentId: crash.id, jobId: 's3', saveToken: missing }),
      ).rejects.toThrow();
      expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    });

    it('scans and imports only inside folders the user added, or what they picked or dropped', async () => {
      const outside = mkdtempSync(join(tmpdir(), 'ctd-outside-'));
      try {
        await expect(call(wb, 'incidents:scan', { folders: [outside] })).rejects.toThrow(
          /outside the folders you added/,
        );
        await expect(
          call(wb, 'incidents:scan', { folders: [join(dir, 'games', '..', '..')] }),
        ).rejects.toThrow(/outside the folders you added/);
        expect(
          (
            await call<{ scannedFolders: string[] }>(wb, 'incidents:scan', {
              folders: [join(dir, 'games', 'overwrite')],
            })
          ).scannedFolders,
        ).toHaveLength(1);
        const exported = await call<ExportResult>(wb, 'bundle:export', {
          incidentId: crash.id,
          jobId: 'i1',
          preset: 'private',
        });
        const copy = join(outside, 'b.zip');
        copyFileSync(exported.path, copy);
        await expect(call(wb, 'bundle:importFile', { path: copy })).rejects.toThrow(
          /outside the folders you added/,
        );
        await expect(call(wb, 'bundle:importFile', { path: '\\\\attacker\\share\\b.zip' })).rejects.toThrow(
          /network share/,
        );
        wb.ctx.grants.grantFile(copy);
        expect((await call<ImportResult>(wb, 'bundle:importFile', { path: copy })).incidentId).not.toBeNull();
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('a capture never opens an ETW profile on a share the user did not add', async () => {
      await expect(
        call(wb, 'capture:start', { pid: 4242, etwSeconds: 5, etwProfile: '\\\\evil\\share\\p.wprp' }),
      ).rejects.toThrow(/network share/);
    });

    it("an imported bundle brings the sender's triage status and notes", async () => {
      await call(wb, 'incidents:setStatus', { id: crash.id, status: 'seen' });
      await call(wb, 'incidents:setNotes', { id: crash.id, notes: 'asked on the forum; mod X suspected' });
      const r = await call<ExportResult>(wb, 'bundle:export', { incidentId: crash.id, jobId: 't1' });
      expect(r.manifest.incident).toMatchObject({
        status: 'seen',
        notes: 'asked on the forum; mod X suspected',
      });
      wb.ctx.grants.grantFile(r.path);
      const imp = await call<ImportResult>(wb, 'bundle:importFile', { path: r.path });
      const back = wb.ctx.store.get(imp.incidentId!)!;
      expect(back).toMatchObject({ status: 'seen', notes: 'asked on the forum; mod X suspected' });
      expect(imp.files).toBe((await readZip(r.path)).size);
    });
  },
);

describe('a killed export leaves no hidden .partial file behind', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-killed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL mid-export: the next export (or the next start) removes the leftover', async () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'kill-export-child.ts'), dir, join(out, 'b.zip')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('redact')) {
          child.kill('SIGKILL');
          res();
        }
      });
      child.once('exit', () => rej(new Error('the export ended before it could be killed')));
    });
    await new Promise((res) => child.once('exit', res));
    const left = readdirSync(out);
    expect(left.some((n) => /^\.b\.zip\.partial-\d+-[0-9a-f]+$/.test(n))).toBe(true);
    // A live export's partial (this process's pid) is not touched.
    const mine = join(out, `.c.zip.partial-${process.pid}-abcdef`);
    writeFileSync(mine, 'in progress');
    const removed = await cleanStaleExports(out);
    expect(removed).toEqual(left);
    expect(readdirSync(out)).toEqual([`.c.zip.partial-${process.pid}-abcdef`]);
  }, 120_000);
});

describe('the matcher scales in a real export', () => {
  it('a log with 20,000 distinct IPs and a maximal "always redact" list: preview and export succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctd-many-'));
    try {
      const log = join(dir, 'net.log');
      // Synthetic addresses (10.x private range) and made-up words.
      writeFileSync(
        log,
        Array.from(
          { length: 20_000 },
          (_, i) => `peer 10.${(i >> 8) & 255}.${i & 255}.${(i % 200) + 20} up`,
        ).join('\n'),
      );
      const words = Array.from({ length: 500 }, (_, i) => `nick${i}name${'x'.repeat(190)}`);
      const incident = fileIncident('many', dir, [{ path: log, role: 'log' }], 'peer 10.0.0.20');
      const deps = {
        appVersion: 'test',
        rules: defaultRules(),
        local: [],
        extraWords: words,
        facts: () => null,
      };
      const req = { preset: 'public' as const, includeEtl: false, stacksOnly: false };
      expect((await previewBundle(incident, req, deps)).report?.totalHits).toBeGreaterThanOrEqual(20_000);
      const r = await writeBundle(incident, req, join(dir, 'b.zip'), deps);
      const text = (await readZip(r.path)).get('net.log')!.toString('utf8');
      expect(text).not.toMatch(/10\.\d+\.\d+\.\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
