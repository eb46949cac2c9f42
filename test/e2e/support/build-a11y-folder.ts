/**
 * tsx entry: one folder with every kind of incident the UI has a view for, so the
 * accessibility pass (a11y.e2e.ts) reaches every tab. Around the SkyrimDiag-style folder of
 * test/helpers/skyrimdiag-folder.ts (REAL dumps and crash logs; synthetic manifests and WCT)
 * it adds: a SkyrimDiag hang with the SYNTHETIC kernel trace of test/helpers/etl-scenario.ts,
 * a loose REAL .etl (PerfView's gcevents.etl) and a SYNTHETIC Papyrus log.
 */
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHangScenario } from '../../helpers/etl-scenario';
import { real } from '../../helpers/fixtures';
import { papyrusText } from '../../helpers/papyrus-log';
import { buildSkyrimDiagFolder, manifest } from '../../helpers/skyrimdiag-folder';
import { deadlockDoc } from '../../unit/hang/wct-fixtures';

const dest = process.argv[2];
if (!dest) throw new Error('usage: build-a11y-folder <dest>');
buildSkyrimDiagFolder(join(dest, 'game'));

const etw = join(dest, 'etw');
mkdirSync(etw, { recursive: true });
const TS = '20260312_150000_100';
const dump = `SkyrimDiag_Hang_${TS}.dmp`;
const wct = `SkyrimDiag_WCT_${TS}.json`;
const trace = `SkyrimDiag_Hang_${TS}.etl`;
writeFileSync(join(etw, trace), writeHangScenario().data);
writeFileSync(join(etw, wct), JSON.stringify(deadlockDoc(), null, 2));
writeFileSync(
  join(etw, `SkyrimDiag_Incident_Hang_${TS}.json`),
  JSON.stringify(
    manifest('hang', TS, dump, wct, {
      artifacts: { dump, wct, etw: trace, etw_status: 'written', helper_log: 'SkyrimDiagHelper.log' },
    }),
  ),
);

const traces = join(dest, 'traces');
mkdirSync(traces, { recursive: true });
copyFileSync(real('etl', 'gcevents.etl'), join(traces, 'gcevents.etl'));
const at = new Date('2026-03-05T09:30:00');
utimesSync(join(traces, 'gcevents.etl'), at, at);

const scripts = join(dest, 'game', 'My Games', 'Skyrim Special Edition', 'Logs', 'Script');
mkdirSync(scripts, { recursive: true });
const papyrus = join(scripts, 'Papyrus.0.log');
writeFileSync(papyrus, papyrusText(5_000, { seed: 7, startMs: Date.UTC(2026, 2, 18, 18, 0) }));
const logAt = new Date('2026-03-18T20:00:40');
utimesSync(papyrus, logAt, logAt);
