import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawWaitChains } from '../../../src/main/capture/addon';
import { createCaptureHandlers } from '../../../src/main/features/capture/handlers';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { channels } from '../../../src/shared/contract/index';

// Capture → index → open → Hang tab data, through the real composition root and SQLite index.
// The addon is replaced by synthetic helpers (a deadlock in the shape the addon returns); the
// real addon's run is test/wine.

function chains(pid: number): RawWaitChains {
  const t = (tid: number, w: number) => ({
    objectType: 8,
    objectStatus: 3,
    thread: { processId: pid, threadId: tid, waitTime: w, contextSwitches: 3 },
  });
  const cs = { objectType: 1, objectStatus: 6, objectName: '' };
  return {
    pid,
    mainTid: 100,
    debugPrivilegeEnabled: true,
    comCallbackRegistered: true,
    threads: [
      { tid: 100, isCycle: true, nodes: [t(100, 5000), cs, t(200, 4900), cs, t(100, 5000)] },
      { tid: 200, isCycle: true, nodes: [t(200, 4900), cs, t(100, 5000), cs, t(200, 4900)] },
    ],
  };
}

let dir: string;
let wb: Workbench;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-capidx-'));
  wb = await createWorkbench({ dataDir: dir, transport: 'test' });
});
afterEach(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a capture becomes an incident at once', () => {
  it('is indexed as a manual incident with dump, WCT and manifest, and the Hang tab shows the deadlock', async () => {
    const h = createCaptureHandlers(wb.ctx, {
      wprConfig: () => null,
      helpers: {
        isAlive: () => true,
        collectWaitChains: async (pid) => chains(pid),
        writeDump: async (_p, path) =>
          writeFileSync(path, Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(200)])),
        startEtw: null,
      },
    });
    const res = await h['capture:start']!(channels['capture:start'].request.parse({ pid: 4242 }));
    expect(res.ok).toBe(true);
    expect(res.incidentId).not.toBeNull();
    const incident = await wb.handlers['incidents:get']({ id: res.incidentId ?? '' });
    expect(incident?.kind).toBe('manual');
    expect(incident?.artifacts.map((a) => a.role).sort()).toEqual(['dump', 'manifest', 'wct']);
    const hang = await wb.handlers['hang:analysis']({ incidentId: res.incidentId ?? '' });
    expect(hang.error).toBeNull();
    expect(hang.analysis?.mainThreadId).toBe(100);
    expect(hang.analysis?.cycles[0]?.tids.slice().sort()).toEqual([100, 200]);
    expect(hang.analysis?.verdict).toMatch(/main thread 100/i);
  });

  it('hang:analysis of an incident without a WCT file says so', async () => {
    const r = await wb.handlers['hang:analysis']({ incidentId: 'nope' });
    expect(r).toEqual({ artifactId: null, analysis: null, error: null });
  });
});
