import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { dispatch } from '../../../src/main/dispatch';
import { fixturesAvailable, real } from '../../helpers/fixtures';

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('crash:* channels through the composition root', () => {
  let dir: string;
  let wb: Workbench;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-crash-'));
    mkdirSync(join(dir, 'games'));
    // A temp copy (the folder walker skips symlinks); removed after the test, never in the repo.
    copyFileSync(real('minidumps', 'minidump2.dmp'), join(dir, 'games', 'minidump2.dmp'));
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await wb.ctx.sources.addFolder(join(dir, 'games'));
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the verdict and bucket, and serves analysis, any thread stack and memory', async () => {
    const item = wb.ctx.store.list({ offset: 0, limit: 10 }).items[0];
    expect(item).toBeDefined();
    const detail = wb.ctx.store.get(item?.id ?? '');
    expect(detail?.verdict?.title).toBe('EXCEPTION_ACCESS_VIOLATION writing 0x45 in test_app.exe+0x429e');
    expect(detail?.verdict?.signature).toMatch(/^EXCEPTION_ACCESS_VIOLATION \| test_app\.exe\+0x429e/);
    const r = await dispatch(wb.handlers, 'crash:analyze', { incidentId: item?.id ?? '' }, true);
    expect(r.ok).toBe(true);
    const res = (r as { res: { artifactId: number; analysis: { threads: unknown[]; stack: unknown[] } } })
      .res;
    expect(res.analysis.threads).toHaveLength(2);
    expect(res.analysis.stack.length).toBeGreaterThan(0);
    const s = await dispatch(
      wb.handlers,
      'crash:stack',
      { artifactId: res.artifactId, threadIndex: 1 },
      true,
    );
    expect(s).toMatchObject({ ok: true });
    const m = await dispatch(
      wb.handlers,
      'crash:memory',
      { artifactId: res.artifactId, address: '0x12fe84', length: 16 },
      true,
    );
    expect(m).toMatchObject({ ok: true, res: { address: '0x12fe84' } });
    const st = await dispatch(
      wb.handlers,
      'crash:stream',
      { artifactId: res.artifactId, index: 6, length: 12 },
      true,
    );
    expect(st).toMatchObject({
      ok: true,
      res: { name: 'MD_BREAKPAD_INFO_STREAM', bytes: '03000000c0110000f40b0000' },
    });
    const bad = await dispatch(wb.handlers, 'crash:analyze', { artifactId: 999999 }, true);
    expect(bad.ok).toBe(false);
  });
});
