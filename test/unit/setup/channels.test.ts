import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { writeMo2Instance } from '../../helpers/mo2-instance';

/** The setup and bisect channels through the validating dispatcher (synthetic MO2 instance). */
describe('setup:* and bisect:* channels', () => {
  let dir: string;
  let wb: Workbench;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-setup-ch-'));
    writeMo2Instance(join(dir, 'MO2'), {
      profiles: [
        {
          name: 'Default',
          mods: [
            { name: 'A', plugins: [{ name: 'A.esp' }] },
            { name: 'B', plugins: [{ name: 'B.esp', masters: ['A.esp'] }] },
            { name: 'C', plugins: [{ name: 'C.esp' }] },
          ],
        },
      ],
    });
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates requests and answers with the contract shapes', async () => {
    expect(await dispatch(wb.handlers, 'setup:add', { path: '' }, true)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await dispatch(wb.handlers, 'setup:add', { path: join(dir, 'nope') }, true)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await dispatch(wb.handlers, 'setup:add', { path: join(dir, 'MO2') }, true)).toMatchObject({
      ok: true,
    });
    const list = await dispatch(wb.handlers, 'setup:instances', {}, true);
    expect(list).toMatchObject({
      ok: true,
      res: [{ manager: 'mo2', origin: 'chosen', profiles: [{ name: 'Default', enabledPlugins: 8 }] }],
    });
    expect(await dispatch(wb.handlers, 'setup:changes', { incidentId: 'nope' }, true)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await dispatch(wb.handlers, 'setup:modTrends', { days: 7 }, true)).toMatchObject({
      ok: true,
      res: { mods: [] },
    });
    expect(await dispatch(wb.handlers, 'bisect:status', {}, true)).toMatchObject({
      ok: true,
      res: { active: false },
    });
    expect(await dispatch(wb.handlers, 'bisect:answer', { answer: 'maybe' }, true)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await dispatch(wb.handlers, 'bisect:answer', { answer: 'good' }, true)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const started = await dispatch(
      wb.handlers,
      'bisect:start',
      { profileDir: join(dir, 'MO2', 'profiles', 'Default') },
      true,
    );
    expect(started).toMatchObject({ ok: true, res: { active: true, total: 3 } });
    expect(await dispatch(wb.handlers, 'bisect:reset', {}, true)).toMatchObject({
      ok: true,
      res: { removed: [expect.any(String)] },
    });
    expect(await dispatch(wb.handlers, 'setup:remove', { path: join(dir, 'MO2') }, true)).toMatchObject({
      ok: true,
      res: [],
    });
  });
});
