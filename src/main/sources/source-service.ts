import type { ScanResult } from '../../shared/contract/incidents';

/** Finding and ingesting incidents from folders (grouping rules: sources/group.ts). */
export interface SourceService {
  /** Remembered folders (settings). */
  folders(): string[];
  addFolder(path: string): Promise<string[]>;
  removeFolder(path: string): Promise<string[]>;
  /** Scan the given folders (default: remembered + the workbench's own capture/import dirs). */
  scan(folders?: string[]): Promise<ScanResult>;
  /** Scan one folder now (after a capture or bundle import wrote files there). */
  scanFolder(path: string): Promise<ScanResult>;
}
