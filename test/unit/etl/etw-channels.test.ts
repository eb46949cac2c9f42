import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { dispatch } from '../../../src/main/dispatch';
import { runCli } from '../../../src/main/cli/run';
import type { EtwEventDetail, EtwEventRow, EtwSummary } from '../../../src/shared/domain/etw';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { writeHangScenario } from '../../helpers/etl-scenario';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { IdleFileSource } from '../../../src/main/analysis/etw/idle-file-source';

const HANG = 'SkyrimDiag_Hang_20260316_090000_250.etl';

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('etw:* channels, the etl analyzer and the CLI', () => {
  let dir: string;
  let wb: Workbench;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-etw-'));
    const sd = join(dir, 'Tullius Ctd Logs');
    mkdirSync(sd, { recursive: true });
    // Temp copies of real traces under the names SkyrimDiag gives them; a synthetic kernel trace for the hang.
    copyFileSync(real('etl', 'gcevents.etl'), join(sd, 'SkyrimDiag_Crash_20260318_200000_500.etl'));
    writeFileSync(join(sd, HANG), writeHangScenario().data);
    writeFileSync(
      join(sd, 'truncated.etl'),
      readFileSync(real('etl', 'AMSITrace.etl')).subarray(0, 0x10000 + 5000),
    );
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await wb.ctx.sources.addFolder(sd);
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const incidentWith = (name: string) => {
    const items = wb.ctx.store.list({ offset: 0, limit: 50 }).items;
    return items.map((i) => wb.ctx.store.get(i.id)!).find((d) => d.artifacts.some((a) => a.name === name))!;
  };

  it('indexes each trace as an etl artifact with searchable provider names; alone, it names the incident', () => {
    const inc = incidentWith('SkyrimDiag_Crash_20260318_200000_500.etl');
    const a = inc.artifacts.find((x) => x.role === 'etl')!;
    expect(a.parseStatus).toBe('ok');
    // The trace is all this incident has: its summary is the verdict (lowest priority).
    expect(inc.verdict).toMatchObject({ analyzer: 'etw' });
    expect(inc.title).toMatch(/^ETW trace: 70 events from 2 provider\(s\) over 11\.6 s/);
    const hits = wb.ctx.store.list({ offset: 0, limit: 10, search: 'DotNETRuntime' }).items.map((i) => i.id);
    expect(hits).toContain(inc.id);
  });

  it('a loose .etl is a manual capture titled by what its main thread did', async () => {
    const loose = join(dir, 'traces');
    mkdirSync(loose, { recursive: true });
    writeFileSync(join(loose, 'hang-trace.etl'), writeHangScenario().data);
    await wb.ctx.sources.addFolder(loose);
    const inc = incidentWith('hang-trace.etl');
    expect(inc.kind).toBe('manual');
    expect(inc.title).toMatch(/^ETW trace: Main thread 1004 of SkyrimSE\.exe over 2\.0 s: running 10%/);
    expect(inc.verdict).toMatchObject({ analyzer: 'etw', game: 'Skyrim' });
    expect(inc.game).toBe('skyrim');
    await wb.ctx.sources.removeFolder(loose);
  });

  it('etw:summary, etw:events and etw:event serve a trace by incident id', async () => {
    const inc = incidentWith(HANG);
    const r = await dispatch(wb.handlers, 'etw:summary', { incidentId: inc.id }, true);
    expect(r.ok).toBe(true);
    const sum = (r as { res: { summary: EtwSummary; traces: unknown[] } }).res;
    expect(sum.traces).toHaveLength(1);
    expect(sum.summary.focusProcess?.name).toBe('SkyrimSE.exe');
    expect(sum.summary.mainThread?.tid).toBe(1004);

    const p = await dispatch(
      wb.handlers,
      'etw:events',
      { incidentId: inc.id, event: 'Thread/CSwitch', offset: 10, limit: 5 },
      true,
    );
    const page = (p as { res: { total: number; rows: EtwEventRow[] } }).res;
    expect(page.total).toBe(114);
    expect(page.rows.map((x) => x.event)).toEqual(Array(5).fill('Thread/CSwitch'));

    const e = await dispatch(
      wb.handlers,
      'etw:event',
      { incidentId: inc.id, position: page.rows[0]!.position },
      true,
    );
    const detail = (e as { res: EtwEventDetail }).res;
    expect(detail.fields.map((f) => f.name)).toContain('OldThreadWaitReason');
    expect(detail.recordHex).toMatch(/^[0-9a-f]+$/);
  });

  it('answers errors, not crashes, for bad requests and bad traces', async () => {
    expect(await dispatch(wb.handlers, 'etw:summary', {}, true)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const inc = incidentWith(HANG);
    expect(await dispatch(wb.handlers, 'etw:event', { incidentId: inc.id, position: 7 }, true)).toMatchObject(
      {
        ok: false,
        error: { code: 'not_found' },
      },
    );
    const broken = incidentWith('truncated.etl');
    const r = await dispatch(wb.handlers, 'etw:summary', { incidentId: broken.id }, true);
    const sum = (r as { res: { summary: EtwSummary } }).res.summary;
    expect(sum.problems.map((x) => x.code)).toContain('truncated_buffer');
    expect(sum.events).toBeGreaterThan(0);
  });

  it('ctd-workbench etw prints one JSON document and exits 0, 1 for a damaged trace, 2 for no trace', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: {}, cwd: dir };
    const sd = join(dir, 'Tullius Ctd Logs');
    expect(await runCli(['etw', join(sd, HANG), '--json'], io)).toBe(0);
    const doc = JSON.parse(out) as EtwSummary;
    expect(doc.topThreadsByCpu[0]?.tid).toBe(1008);
    out = '';
    expect(await runCli(['etw', join(sd, 'truncated.etl')], io)).toBe(1);
    expect(out).toContain('problem: truncated_buffer');
    out = '';
    expect(
      await runCli(
        [
          'etw',
          real('etl', 'primitive-types.etl'),
          '--events',
          '2',
          '--event',
          'solar_system/PrimitiveTypesTest',
        ],
        io,
      ),
    ).toBe(0);
    expect(out).toContain('string_type=Mercury');
    err = '';
    expect(await runCli(['etw', real('etl', 'primitive-types.baseline.txt')], io)).toBe(2);
    expect(err).toContain('not an ETW trace');
    expect(await runCli(['etw'], io)).toBe(64);
  });
});

describe('cached sessions do not hold the trace open', () => {
  it('releases the file handle when idle and reopens it for the next read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctd-etw-idle-'));
    try {
      const path = join(dir, 'hang.etl');
      writeFileSync(path, writeHangScenario().data);
      const src = new IdleFileSource(path, 30);
      const s = EtlSession.fromSource(src);
      expect(src.isOpen).toBe(true);
      await new Promise((r) => setTimeout(r, 120));
      expect(src.isOpen).toBe(false);
      expect(s.page({ typeIds: null, pid: null }, 100, 5).rows).toHaveLength(5);
      expect(src.isOpen).toBe(true);
      s.close();
      expect(src.isOpen).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
