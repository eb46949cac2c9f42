import type { ArtifactRole, IncidentKind } from '../../shared/domain/incident';

/**
 * SkyrimDiag / Tullius CTD logger file names (skyrimdiag-artifacts.md §2–§3), old and new
 * timestamp forms, matched case-insensitively.
 */
const TS = String.raw`(\d{8}_\d{6}(?:_\d{3})?)`;
const DUMP = new RegExp(
  String.raw`^SkyrimDiag_(Crash|Hang|Manual)_${TS}(?:_(Full|Richer|Recapture))?\.dmp$`,
  'i',
);
const ETL = new RegExp(
  String.raw`^SkyrimDiag_(Crash|Hang|Manual)_${TS}(?:_(Full|Richer|Recapture))?\.etl$`,
  'i',
);
const MANIFEST = new RegExp(
  String.raw`^SkyrimDiag_Incident_(Crash|Hang|Manual|CrashRecapture)_${TS}\.json$`,
  'i',
);
const WCT = new RegExp(String.raw`^SkyrimDiag_WCT_(?:(Manual)_)?${TS}\.json$`, 'i');
const DERIVED =
  /^(?<stem>.+)_(SkyrimDiagSummary\.json|SkyrimDiagReport\.txt|SkyrimDiagBlackbox\.jsonl|SkyrimDiagWct\.json|SkyrimDiagNativeException\.log|PluginScan\.json)$/i;
const EVIDENCE =
  /^SkyrimDiag_(CleanExitEvidence|PostExitCrashEvidence)_(\d{8}_\d{6}(?:_\d{3})?)_(\d+)\.json$/i;
/** Helper/analyzer atomic-write temp files: never index them. */
const TEMP = /\.tmp\.\d+\.\d+\.\d+$/i;
/** Folder-level helper state files: useful to a human, not incidents. */
const FOLDER_STATE =
  /^(SkyrimDiag_Preflight\.json|SkyrimDiag_CrashBucketStats\.json.*|SkyrimDiag_LoadStats\.json|SkyrimDiag_WER_LocalDumps_Hint\.txt|SkyrimDiagHelper\.log(\.\d+)?|crash_history\.json|SkyrimDiagHelper\.ini)$/i;

const KINDS: Record<string, IncidentKind> = {
  crash: 'crash',
  hang: 'hang',
  manual: 'manual',
  crashrecapture: 'crash',
};

export type SkyrimDiagFile =
  | { type: 'dump'; kind: IncidentKind; ts: string; key: string; recapture: string | null }
  | { type: 'etl'; key: string; ts: string; kind: IncidentKind }
  | { type: 'manifest'; kind: IncidentKind; ts: string; key: string; recapture: boolean }
  | { type: 'wct'; kind: IncidentKind; ts: string; key: string }
  | { type: 'derived'; stem: string; role: ArtifactRole }
  | { type: 'evidence'; ts: string; seq: string; which: string }
  | { type: 'temp' }
  | { type: 'folder-state' };

function kindOf(word: string): IncidentKind {
  return KINDS[word.toLowerCase()] ?? 'unknown';
}

/** Incident key for a SkyrimDiag capture: kind + timestamp (the helper's own pairing rule). */
export function captureKey(kind: string, ts: string): string {
  return `sd:${kind.toLowerCase()}:${ts}`;
}

const DERIVED_ROLE: Record<string, ArtifactRole> = {
  'skyrimdiagsummary.json': 'summary',
  'skyrimdiagreport.txt': 'report',
  'skyrimdiagblackbox.jsonl': 'blackbox',
  'skyrimdiagwct.json': 'wct',
  'skyrimdiagnativeexception.log': 'log',
  'pluginscan.json': 'pluginscan',
};

export function classifySkyrimDiag(name: string): SkyrimDiagFile | null {
  if (TEMP.test(name)) return { type: 'temp' };
  let m = DUMP.exec(name);
  if (m) {
    const recapture = m[3] ?? null;
    // A recapture has its own timestamp; its manifest links it to the original crash.
    const key = recapture ? captureKey('crashrecapture', m[2]!) : captureKey(m[1]!, m[2]!);
    return { type: 'dump', kind: kindOf(m[1]!), ts: m[2]!, key, recapture };
  }
  m = MANIFEST.exec(name);
  if (m)
    return {
      type: 'manifest',
      kind: kindOf(m[1]!),
      ts: m[2]!,
      key: captureKey(m[1]!, m[2]!),
      recapture: /recapture/i.test(m[1]!),
    };
  m = WCT.exec(name);
  if (m) {
    const kind = m[1] ? 'manual' : 'hang';
    return { type: 'wct', kind, ts: m[2]!, key: captureKey(kind, m[2]!) };
  }
  m = ETL.exec(name);
  if (m)
    return {
      type: 'etl',
      kind: kindOf(m[1]!),
      ts: m[2]!,
      key: m[3] ? captureKey('crashrecapture', m[2]!) : captureKey(m[1]!, m[2]!),
    };
  m = EVIDENCE.exec(name);
  if (m) return { type: 'evidence', which: m[1]!, ts: m[2]!, seq: m[3]! };
  const d = DERIVED.exec(name);
  if (d?.groups?.stem)
    return { type: 'derived', stem: d.groups.stem, role: DERIVED_ROLE[d[2]!.toLowerCase()] ?? 'other' };
  if (FOLDER_STATE.test(name)) return { type: 'folder-state' };
  return null;
}

/** The capture key a dump stem belongs to (for derived files named `<stem>_…`). */
export function keyForStem(stem: string): string | null {
  const c = classifySkyrimDiag(`${stem}.dmp`);
  return c?.type === 'dump' ? c.key : null;
}

/** `YYYYMMDD_HHMMSS[_mmm]` (local wall clock) → `YYYY-MM-DDTHH:MM:SS.mmm`. */
export function tsToLocalIso(ts: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?:_(\d{3}))?$/.exec(ts);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  if (
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  )
    return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms ?? '000'}`;
}
