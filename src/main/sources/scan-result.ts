import type { ScanResult } from '../../shared/contract/incidents';

/** A scan's result before anything was found (totals start here). */
export function emptyScanResult(scannedFolders: string[] = []): ScanResult {
  return {
    scannedFolders,
    incidents: 0,
    added: 0,
    updated: 0,
    removed: 0,
    filesRead: 0,
    durationMs: 0,
    errors: [],
  };
}
