import { captureProfileBlock, type DumpProfile } from './dump-profile';
import type { CaptureNames } from './naming';
import type { EtwResult, ManifestEtwStatus } from './wpr';

export interface ManifestInput {
  names: CaptureNames;
  pid: number;
  dumpProfile: DumpProfile;
  /** WCT file name when one was written. */
  wctWritten: boolean;
  etw: { requested: boolean; status: ManifestEtwStatus; result: EtwResult | null; profile: string | null };
  trigger: 'workbench_ui' | 'workbench_hotkey' | 'workbench_tray' | 'workbench_cli';
}

/**
 * SkyrimDiag's incident manifest (§4, schema SkyrimDiagIncident v1) for a manual capture. Keys
 * the helper writes come first and keep its meaning; ours (`producer`, `etw_outcome`,
 * `etw_message`) are additions, which is how that schema has always grown.
 */
export function buildManualManifest(m: ManifestInput): Record<string, unknown> {
  const etwName = m.etw.requested && m.etw.status !== 'start_failed' ? m.names.etl : '';
  return {
    schema: { name: 'SkyrimDiagIncident', version: 1 },
    incident_id: `manual_${m.names.ts}_pid${m.pid}`,
    capture_kind: 'manual',
    timestamp_local: m.names.ts,
    pid: m.pid,
    state_flags: 0,
    artifacts: {
      dump: m.names.dump,
      wct: m.wctWritten ? m.names.wct : '',
      etw: m.etw.requested ? etwName : '',
      etw_status: m.etw.requested ? m.etw.status : 'disabled',
      helper_log: 'SkyrimDiagHelper.log',
    },
    privacy: { paths: 'filenames_only', contains_user_paths: false, contains_config_paths: false },
    context: {
      seconds_since_heartbeat: 0,
      threshold_sec: 0,
      is_loading: false,
      in_menu: false,
      pss_snapshot_requested: false,
      pss_snapshot_used: false,
      pss_snapshot_capture_ms: 0,
      pss_snapshot_status: 'disabled',
      dump_transport: 'live_process',
      trigger: m.trigger,
    },
    capture_profile: captureProfileBlock(m.dumpProfile),
    producer: { name: 'ctd-workbench', format: 1 },
    etw_outcome: !m.etw.requested ? 'skipped' : (m.etw.result?.outcome ?? 'pending'),
    // A bare profile name only: a custom .wprp path would put a user path into the manifest.
    etw_profile:
      m.etw.profile && !/[\\/]/.test(m.etw.profile) ? m.etw.profile : m.etw.profile ? 'custom' : null,
    etw_message: m.etw.result?.message ?? null,
  };
}

/** UTF-8, 2-space indent, no trailing newline: the helper's own format. */
export function manifestText(manifest: Record<string, unknown>): string {
  return JSON.stringify(manifest, null, 2);
}
