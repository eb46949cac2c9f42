import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { bundleHandlers } from '../../../src/main/features/bundle/handlers';
import type { Handlers } from '../../../src/shared/contract/index';
import { BundleManifest } from '../../../src/shared/domain/bundle';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { fixturesAvailable } from '../../helpers/fixtures';
import { findAnyEncoding } from '../privacy/helpers';
import { CANARIES, buildCanaryFolder } from './canary-folder';
import { readZip } from './read-zip';

// The planted values are SYNTHETIC (see canary-folder.ts): made-up people, machine and secrets.
// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('canary: a public bundle leaks none of the planted secrets', () => {
  let dir: string;
  let wb: Workbench;
  let h: Handlers;
  let incidentId: string;
  let entries: Map<string, Buffer>;
  let zipPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-canary-'));
    buildCanaryFolder(join(dir, 'Tullius Ctd Logs'));
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    // The export runs as if on the player's machine: its account is the Latin canary.
    h = {
      ...wb.handlers,
      ...bundleHandlers(wb.ctx, {
        local: [
          { category: 'user', value: CANARIES.latin, learnedFrom: 'USERNAME' },
          { category: 'machine', value: CANARIES.machine, learnedFrom: 'COMPUTERNAME' },
        ],
      }),
    };
    await wb.ctx.sources.addFolder(join(dir, 'Tullius Ctd Logs'));
    const crash = wb.ctx.store
      .list({ offset: 0, limit: 10 })
      .items.find((i) => i.kind === 'crash' && i.artifactCount > 5);
    incidentId = crash!.id;
    await dispatch(h, 'incidents:setNotes', {
      id: incidentId,
      notes: `asked ${CANARIES.email} on ${CANARIES.machine}`,
    });
    const r = await dispatch(h, 'bundle:export', { incidentId, jobId: 'canary' }, true);
    if (!r.ok) throw new Error(r.error.message);
    zipPath = (r.res as { path: string }).path;
    entries = await readZip(zipPath);
  });
  afterAll(async () => {
    await wb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the incident holds every artifact kind the canaries were planted in', () => {
    const d = wb.ctx.store.get(incidentId)!;
    expect(d.artifacts.map((a) => a.role).sort()).toEqual(
      [
        'blackbox',
        'crashlog',
        'dump',
        'etl',
        'log',
        'manifest',
        'pluginscan',
        'report',
        'summary',
        'wct',
      ].sort(),
    );
    const names = [...entries.keys()];
    for (const n of ['SkyrimDiag_Preflight.json', 'SkyrimDiagHelper.log', 'report.md', 'bundle.json'])
      expect(names).toContain(n);
    expect(names.some((n) => n.endsWith('.dmp'))).toBe(true);
    expect(names.some((n) => n.endsWith('.etl'))).toBe(false);
  });

  for (const [kind, value] of Object.entries(CANARIES))
    it(`no ${kind} canary in any byte of any entry (ASCII, UTF-8, UTF-16LE, any case), nor in the zip itself`, () => {
      for (const [name, bytes] of entries) {
        expect(findAnyEncoding(Buffer.from(name, 'utf8'), value), name).toEqual([]);
        expect(findAnyEncoding(bytes, value), `${value} in ${name}`).toEqual([]);
      }
      expect(findAnyEncoding(readFileSync(zipPath), value)).toEqual([]);
    });

  it('bundle.json lists every entry with its size and hash, the report counts hits and holds no original', async () => {
    const m = BundleManifest.parse(JSON.parse(entries.get('bundle.json')!.toString('utf8')));
    expect(m.redacted).toBe(true);
    for (const f of m.files) {
      const bytes = entries.get(f.name)!;
      expect(bytes.length).toBe(f.size);
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
    expect([...entries.keys()].sort()).toEqual([...m.files.map((f) => f.name), 'bundle.json'].sort());
    expect(m.excluded.map((e) => e.role)).toEqual(['etl']);
    const report = m.redaction!;
    expect(report.totalHits).toBeGreaterThan(30);
    const dumpReport = report.files.find((f) => f.name.endsWith('.dmp'))!;
    expect(dumpReport.treatment).toBe('sanitized-dump');
    expect(dumpReport.total).toBeGreaterThanOrEqual(8);
    expect(report.pseudonyms.map((p) => p.token)).toEqual(
      expect.arrayContaining(['<user>', '<user-2>', '<machine>', '<email-1>']),
    );
  });

  it('the sanitized dump still reads (same verdict as the planted copy) once imported back', async () => {
    wb.ctx.grants.grantFile(zipPath);
    const imp = await dispatch(h, 'bundle:importFile', { path: zipPath }, true);
    if (!imp.ok) throw new Error(imp.error.message);
    const id = (imp.res as { incidentId: string }).incidentId;
    const back = wb.ctx.store.get(id)!;
    expect(back.source).toBe('bundle');
    expect(back.artifacts.every((a) => a.parseStatus !== 'error')).toBe(true);
    // The dump analysis (bucket, faulting location) is the same; titles quoting a name are redacted.
    const dumpFacts = (d: typeof back) =>
      wb.ctx.store.getFacts(d.artifacts.find((a) => a.role === 'dump')!.id)?.facts;
    expect(dumpFacts(back)).toEqual(dumpFacts(wb.ctx.store.get(incidentId)!));
    for (const v of Object.values(CANARIES)) expect(JSON.stringify(back)).not.toContain(v);
  });
});
