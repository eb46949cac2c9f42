import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifestSchema from '../../../resources/schemas/incident-manifest.schema.json';
import { channels, events } from '../../../src/shared/contract/index';
import { EVENT_CHANNEL_PREFIX, INVOKE_CHANNEL } from '../../../src/shared/contract/ipc-names';
import { dispatch } from '../../../src/main/dispatch';
import { fixturesAvailable } from '../../helpers/fixtures';
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';

/** The desktop-shell channels (dialog:openFolder, incidents:setNotes) through the shared dispatch. */
describe('app channels', () => {
  let dir: string;
  let wb: Workbench;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-app-channels-'));
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers null to the folder picker outside Electron, so the UI asks for a path', async () => {
    expect(await dispatch(wb.handlers, 'dialog:openFolder', {}, true)).toEqual({ ok: true, res: null });
  });

  it('rejects unknown channels and bad requests with a WireError', async () => {
    const unknown = await dispatch(wb.handlers, 'fs:readAnything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const bad = await dispatch(wb.handlers, 'incidents:setNotes', { id: 'x', notes: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('setNotes on an unknown incident reports ok: false', async () => {
    expect(await dispatch(wb.handlers, 'incidents:setNotes', { id: 'nope', notes: 'x' }, true)).toEqual({
      ok: true,
      res: { ok: false },
    });
  });

  it('keeps IPC names out of the contract namespace', () => {
    expect(Object.keys(channels)).not.toContain(INVOKE_CHANNEL);
    for (const e of Object.keys(events)) expect(e.startsWith(EVENT_CHANNEL_PREFIX)).toBe(false);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('notes and status on a real incident', () => {
  let dir: string;
  let wb: Workbench;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-app-notes-'));
    buildSkyrimDiagFolder(join(dir, 'games'));
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
    await wb.ctx.sources.addFolder(join(dir, 'games'));
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves notes without touching the triage status, and both survive a rebuild', async () => {
    const first = wb.ctx.store.list({ offset: 0, limit: 1 }).items[0]!;
    await dispatch(wb.handlers, 'incidents:setStatus', { id: first.id, status: 'seen' }, true);
    const r = await dispatch(
      wb.handlers,
      'incidents:setNotes',
      { id: first.id, notes: 'Käse 한국어 notes' },
      true,
    );
    expect(r).toEqual({ ok: true, res: { ok: true } });
    expect(wb.ctx.store.get(first.id)).toMatchObject({ status: 'seen', notes: 'Käse 한국어 notes' });
    await dispatch(wb.handlers, 'db:rebuild', {}, true);
    expect(wb.ctx.store.get(first.id)).toMatchObject({ status: 'seen', notes: 'Käse 한국어 notes' });
  });
});

describe('incident manifest schema', () => {
  it('types the documented v1 keys and allows keys added later', () => {
    expect(manifestSchema.properties.schema.properties.name.const).toBe('SkyrimDiagIncident');
    expect(manifestSchema.properties.pid.type).toBe('integer');
    expect(manifestSchema.properties.capture_kind.enum).toEqual([
      'crash',
      'hang',
      'manual',
      'crash_recapture',
    ]);
    expect(manifestSchema.properties.artifacts.properties.etw_status.enum).toContain('stop_retry_pending');
    expect('additionalProperties' in manifestSchema).toBe(false);
  });
});
