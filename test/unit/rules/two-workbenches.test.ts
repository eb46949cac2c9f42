import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type { CrashLogAnalysis, CrashLogRules } from '../../../src/shared/domain/crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * The rules in force belong to a workbench (WorkbenchContext.rules), not to the module: a
 * second workbench in the same process (a test, the CLI inside serve mode) must not change the
 * first one's rules. The rule is SYNTHETIC; the log it runs on is a real Buffout 4 log.
 */
const LOG = 'crash-2023-12-21-07-54-46.log';
const userRules = {
  format: 'ctd-workbench-rules',
  version: 1,
  name: 'Only in workbench A',
  rules: [
    {
      id: 'only-in-a',
      severity: 'info',
      title: 'Workbench A user rule',
      explanation: 'Matches every Buffout 4 log; only workbench A has it turned on.',
      fix: 'None needed.',
      match: { logger: 'buffout4' },
    },
  ],
};

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('two workbenches in one process', () => {
  let dir: string;
  let a: Workbench;
  let b: Workbench;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-two-wb-'));
    mkdirSync(join(dir, 'logs'));
    copyFileSync(real('crashlogs', 'buffout4-fo4', LOG), join(dir, 'logs', LOG));
    a = await createWorkbench({ dataDir: join(dir, 'a'), transport: 'test' });
    // Built after A: its handler factories used to repoint the shared rule registry at B's data.
    b = await createWorkbench({ dataDir: join(dir, 'b'), transport: 'test' });
    await dispatch(a.handlers, 'crashlog:setRules', { userRulesEnabled: true }, true);
    writeFileSync(join(dir, 'a', 'rules', 'mine.json'), JSON.stringify(userRules));
    for (const wb of [a, b]) {
      await wb.ctx.sources.addFolder(join(dir, 'logs'));
      await wb.idle();
    }
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rulesOf = async (wb: Workbench) =>
    ((await dispatch(wb.handlers, 'crashlog:rules', {}, true)) as { res: CrashLogRules }).res;
  const findingIds = async (wb: Workbench) => {
    const incident = wb.ctx.store.list({ offset: 0, limit: 10 }).items[0]!;
    const stored = wb.ctx.store.get(incident.id)!.verdict?.findings.map((f) => f.id) ?? [];
    const r = await dispatch(wb.handlers, 'crashlog:parsed', { incidentId: incident.id }, true);
    const live = (r as { res: { analysis: CrashLogAnalysis } }).res.analysis.findings.map((f) => f.id);
    return { stored, live };
  };

  it('each lists its own rule sets and setting', async () => {
    const ra = await rulesOf(a);
    const rb = await rulesOf(b);
    expect(ra.userRulesEnabled).toBe(true);
    expect(ra.sets.filter((s) => s.origin === 'user').map((s) => s.name)).toEqual(['Only in workbench A']);
    expect(rb.userRulesEnabled).toBe(false);
    expect(rb.sets.filter((s) => s.origin === 'user')).toEqual([]);
    expect(ra.userFolder).not.toBe(rb.userFolder);
  });

  it('each indexes and re-reads the same log with its own rules', async () => {
    const fa = await findingIds(a);
    const fb = await findingIds(b);
    expect(fa.stored).toContain('only-in-a');
    expect(fa.live).toContain('only-in-a');
    expect(fb.stored).not.toContain('only-in-a');
    expect(fb.live).not.toContain('only-in-a');
  });
});
