import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { fixturesAvailable } from '../../helpers/fixtures';
import { buildSkyrimDiagFolder, type BuiltFolder } from '../../helpers/skyrimdiag-folder';

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('scanning a SkyrimDiag-style folder built around real files', () => {
  let tmp: string;
  let built: BuiltFolder;
  let wb: Workbench;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-scan-'));
    built = buildSkyrimDiagFolder(join(tmp, 'games'));
    wb = await createWorkbench({
      dataDir: join(tmp, 'data'),
      transport: 'test',
      initialFolders: [built.root],
    });
  });
  afterAll(async () => {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('groups files into the expected incidents, newest first', async () => {
    const { items, total } = await wb.handlers['incidents:list']({ offset: 0, limit: 500 });
    expect(total).toBe(built.expected.length);
    expect(items.map((i) => [i.capturedAt.slice(0, 19), i.kind, i.source])).toEqual(
      built.expected.map((e) => [e.at, e.kind, e.source]),
    );
    for (const [n, e] of built.expected.entries()) {
      const d = await wb.handlers['incidents:get']({ id: items[n]!.id });
      const names = d!.artifacts.map((a) => a.name);
      for (const f of e.files) expect(names).toContain(f);
    }
  });
});
