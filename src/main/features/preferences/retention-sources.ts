import { resolve } from 'node:path';
import type { ScanResult } from '../../../shared/contract/incidents';
import type { Retention, RetentionReport } from '../../../shared/contract/preferences';
import type { SourceService } from '../../sources/source-service';
import { applyRetention, type RetentionDirs, type StoredItem } from './retention';

/**
 * The source service the features see: a scan of the capture or import folder (what capture
 * and bundle import do once their files are written) is followed by retention, and by a rescan
 * of a folder retention removed something from, so the index forgets those incidents.
 */
export function withRetention(
  sources: SourceService,
  dirs: RetentionDirs,
  retention: () => Retention,
  onReport?: (r: RetentionReport) => void,
): SourceService & { clean(protect?: (i: StoredItem) => boolean): Promise<RetentionReport> } {
  const internal = [dirs.captures, dirs.imports].map((d) => resolve(d));
  const clean = async (protect?: (i: StoredItem) => boolean): Promise<RetentionReport> => {
    const report = await applyRetention(dirs, retention(), { userFolders: sources.folders(), protect });
    for (const area of new Set(report.removed.map((r) => r.area)))
      await sources.scanFolder(area === 'captures' ? dirs.captures : dirs.imports);
    onReport?.(report);
    return report;
  };
  return {
    folders: () => sources.folders(),
    addFolder: (p) => sources.addFolder(p),
    removeFolder: (p) => sources.removeFolder(p),
    scan: (f) => sources.scan(f),
    async scanFolder(path: string): Promise<ScanResult> {
      const r = await sources.scanFolder(path);
      if (internal.includes(resolve(path))) await clean();
      return r;
    },
    clean,
  };
}
