// Dev/test only, never imported by the app: a stand-alone page that renders the Hang tab and the
// Capture view against a mocked contract (window.ctd), for screenshots without the app shell.
// Bundled and driven by test/e2e/hang-harness/shoot.ts, which supplies the data.
import { createRoot } from 'react-dom/client';
import type { HangAnalysis } from '../../../../../shared/domain/hang';
import type { IncidentDetail } from '../../../../../shared/domain/incident';
import type { WorkbenchBridge } from '../../../../../shared/contract/index';
import { HangTab } from '../HangTab';
import { CaptureView } from '../../capture/CaptureView';

declare global {
  interface Window {
    __HARNESS__: { view: string; analysis: HangAnalysis; supported: boolean };
  }
}

const data = window.__HARNESS__;
const listeners = new Set<(p: unknown) => void>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const responses: Record<string, (req: unknown) => Promise<unknown>> = {
  'hang:analysis': async () => ({ artifactId: 1, analysis: data.analysis, error: null }),
  'capture:listProcesses': async () =>
    data.supported
      ? {
          supported: true,
          reason: null,
          processes: [
            {
              pid: 4242,
              parentPid: 1,
              name: 'SkyrimSE.exe',
              exePath: 'C:\\Games\\SkyrimSE.exe',
              windowTitle: 'Skyrim Special Edition',
              responding: false,
              isGame: true,
            },
            {
              pid: 812,
              parentPid: 1,
              name: 'explorer.exe',
              exePath: 'C:\\Windows\\explorer.exe',
              windowTitle: 'Program Manager',
              responding: true,
              isGame: false,
            },
            {
              pid: 990,
              parentPid: 812,
              name: 'ModOrganizer.exe',
              exePath: 'C:\\MO2\\ModOrganizer.exe',
              windowTitle: 'Mod Organizer',
              responding: true,
              isGame: false,
            },
          ],
        }
      : {
          supported: false,
          reason: 'Capture needs Windows: the capture helper only exists for win32-x64.',
          processes: [],
        },
  'capture:etwStatus': async () => ({
    available: true,
    reason: null,
    staleSession: true,
    text: 'WPR recording is in progress...',
  }),
  'capture:start': async () => {
    for (let s = 3; s >= 1; s--) {
      listeners.forEach((l) =>
        l({ phase: 'etw', message: `Recording ETW: ${s} s left`, etwRemainingSec: s, etwTotalSec: 8 }),
      );
      await sleep(50);
    }
    return {
      ok: true,
      partial: true,
      message:
        'Captured process 4242: SkyrimDiag_Manual_20260315_130000_001.dmp (without: ETW: wpr.exe needs administrator rights to record ETW.).',
      ts: '20260315_130000_001',
      folder: 'C:\\Users\\qa\\AppData\\Roaming\\ctd-workbench\\captures',
      files: { dump: 'x', wct: 'y', manifest: 'z', etl: null },
      wct: { status: 'ok', message: null },
      dump: { status: 'ok', message: null, bytes: 1234 },
      etw: { status: 'failed', manifestStatus: 'start_failed', message: 'no admin' },
      processExited: false,
      incidentId: 'manual-1',
    };
  },
};

window.ctd = {
  call: (async (name: string, req: unknown) => ({
    ok: true,
    res: await responses[name]!(req),
  })) as WorkbenchBridge['call'],
  on: ((_name: string, l: (p: unknown) => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }) as WorkbenchBridge['on'],
};

const incident = { id: 'hang-1', kind: 'hang', artifacts: [] } as unknown as IncidentDetail;
createRoot(document.getElementById('root')!).render(
  data.view === 'hang' ? <HangTab incident={incident} /> : <CaptureView />,
);
