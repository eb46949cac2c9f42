import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentCauses } from '../../../src/shared/domain/causes';
import type { Trends } from '../../../src/shared/domain/trends';
import { dispatch } from '../../../src/main/dispatch';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Causes the workbench learns, through the contract: two REAL NetScriptFramework logs of the same
 * crash (2024-04-04 and 2024-04-12, different load addresses) share a bucket; the cause confirmed
 * on the first shows on the second, the bucket marked fixed by it regresses with the second, and
 * the confirmed cause travels as a rule file to another workbench.
 */
const OLD = 'D6DDDA__-_Crash_2024_4_4_21-8-52.txt';
const NEW = 'D6DDDA_-_Crash_2024_4_12_11-57-34.txt';

async function call<T>(wb: Workbench, name: string, req: unknown): Promise<T> {
  const r = await dispatch(wb.handlers, name, req, true);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.res as T;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('confirmed causes, regressions and rule files', () => {
  let tmp: string;
  let folder: string;
  let wb: Workbench;
  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-causes-'));
    folder = join(tmp, 'logs');
    mkdirSync(folder);
    for (const f of [OLD, NEW]) copyFileSync(real('crashlogs', 'skyrim-nsf-nolvus', f), join(folder, f));
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
    await wb.ctx.sources.scan([folder]);
  });
  afterEach(async () => {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const byName = (w: Workbench, name: string) => {
    const items = w.ctx.store.list({ offset: 0, limit: 50 }).items;
    const id = items.find((i) => w.ctx.store.get(i.id)?.artifacts.some((a) => a.name === name))?.id;
    if (!id) throw new Error(`no incident for ${name}`);
    return w.ctx.store.get(id)!;
  };

  it('a confirmed cause reappears on the next incident of the bucket, which is flagged regressed', async () => {
    const first = byName(wb, OLD);
    const second = byName(wb, NEW);
    expect(first.signature).toBe(second.signature);
    expect(second.regressed).toBe(false);

    const c = await call<{ id: number; fixed: boolean; bucket: string }>(wb, 'causes:confirm', {
      incidentId: first.id,
      cause: 'it was Skyrim Upscaler',
      fix: 'updating to 1.2 fixed it',
      fixed: true,
    });
    expect(c.bucket).toBe(first.signature);
    // Confirming with a working fix marks the incident fixed.
    expect(wb.ctx.store.get(first.id)?.status).toBe('fixed');

    const later = await call<IncidentCauses>(wb, 'causes:forIncident', { id: second.id });
    expect(later.confirmed).toHaveLength(1);
    expect(later.confirmed[0]).toMatchObject({
      cause: 'it was Skyrim Upscaler',
      fix: 'updating to 1.2 fixed it',
      incidentId: first.id,
    });
    // Same bucket; the probable cause names the same culprit too, so both may match.
    expect(['bucket', 'both']).toContain(later.confirmed[0]!.matchedBy);
    expect(later.regressed?.fixedIncidentId).toBe(first.id);
    expect(later.regressed?.fix).toBe('updating to 1.2 fixed it');

    // The list and trends say it too; the fixed incident itself is not a regression.
    expect(wb.ctx.store.get(second.id)?.regressed).toBe(true);
    expect(wb.ctx.store.get(first.id)?.regressed).toBe(false);
    const trends = await call<Trends>(wb, 'trends:get', { days: 0, now: '2024-04-20T00:00:00' });
    const bucket = trends.buckets.find((b) => b.signature === first.signature);
    expect(bucket?.regressed).toBe(true);
    expect(bucket?.fixedAt?.slice(0, 10)).toBe('2024-04-04');

    // Survives an index rebuilt from scratch (the sidecar in the data folder).
    expect(existsSync(join(tmp, 'data', 'confirmed-causes.json'))).toBe(true);
  });

  it('a cause tied to a culprit file matches by culprit; one without a fix does not mark the bucket fixed', async () => {
    const first = byName(wb, OLD);
    await call(wb, 'causes:confirm', {
      incidentId: first.id,
      cause: 'the upscaler',
      culprit: 'SkyrimUpscaler.dll',
    });
    const again = await call<IncidentCauses>(wb, 'causes:forIncident', { id: first.id });
    expect(again.confirmed[0]?.culpritKey).toBe('module:skyrimupscaler.dll');
    expect(again.regressed).toBeNull();
    expect(wb.ctx.store.get(first.id)?.status).not.toBe('fixed');
    // By culprit alone: the store matches any incident whose culprit key is the same.
    expect(wb.ctx.store.causes.matching(null, 'module:skyrimupscaler.dll')[0]?.matchedBy).toBe('culprit');
    expect(wb.ctx.store.causes.matching('another bucket', null)).toHaveLength(0);
  });

  it('exports confirmed causes as a valid rule file; importing it elsewhere adds them', async () => {
    const first = byName(wb, OLD);
    await call(wb, 'causes:confirm', {
      incidentId: first.id,
      cause: 'it was Skyrim Upscaler',
      fix: 'updating fixed it',
      fixed: true,
      culprit: 'SkyrimUpscaler.dll',
    });
    const out = await call<{ fileName: string; text: string; rules: number }>(wb, 'causes:exportRules', {
      name: 'My modlist',
    });
    expect(out.fileName).toBe('My-modlist.json');
    expect(out.rules).toBe(1);
    const file = JSON.parse(out.text) as { format: string; rules: { match: unknown; fix: string }[] };
    expect(file.format).toBe('ctd-workbench-rules');
    expect(file.rules[0]?.match).toEqual({
      any: [{ bucket: first.signature }, { culprit: 'skyrimupscaler.dll' }],
    });
    expect(file.rules[0]?.fix).toBe('updating fixed it');

    // Another player's workbench with the same crash.
    const other = await createWorkbench({ dataDir: join(tmp, 'data2'), transport: 'test' });
    try {
      await other.ctx.sources.scan([folder]);
      const imp = await call<{ added: number; known: number; savedAs: string }>(other, 'causes:importRules', {
        fileName: out.fileName,
        text: out.text,
      });
      expect(imp).toMatchObject({ added: 1, known: 0 });
      expect(readFileSync(imp.savedAs, 'utf8')).toContain('"bucket"');
      const second = byName(other, NEW);
      const got = await call<IncidentCauses>(other, 'causes:forIncident', { id: second.id });
      expect(got.confirmed[0]).toMatchObject({ cause: 'it was Skyrim Upscaler', origin: 'imported' });
      // Imported rules are someone else's fix: they do not make a local bucket "fixed".
      expect(got.regressed).toBeNull();
      // Importing the same file again adds nothing.
      const again = await call<{ added: number; known: number }>(other, 'causes:importRules', {
        fileName: out.fileName,
        text: out.text,
      });
      expect(again).toMatchObject({ added: 0, known: 1 });
    } finally {
      await other.close();
    }
  });

  it('refuses hostile or foreign files with a clear message', async () => {
    const bad = await dispatch(wb.handlers, 'causes:importRules', { fileName: 'x.json', text: '{nope' });
    expect(bad.ok).toBe(false);
    const notRules = await dispatch(wb.handlers, 'causes:importRules', {
      fileName: 'x.json',
      text: JSON.stringify({ format: 'something-else', rules: [] }),
    });
    expect(!notRules.ok && notRules.error.code).toBe('bad_request');
    const traversal = await call<{ savedAs: string }>(wb, 'causes:importRules', {
      fileName: '../../evil.json',
      text: JSON.stringify({ format: 'ctd-workbench-rules', version: 1, name: 'x', rules: [] }),
    });
    expect(traversal.savedAs.startsWith(join(tmp, 'data', 'rules'))).toBe(true);
  });
});
