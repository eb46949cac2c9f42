import type { EventName, EventPayloadOf, Handlers } from '../shared/contract/index';
import type { WorkbenchContext } from './context';

/**
 * Composition root. Both transports (Electron IPC in ipc.ts, the serve-mode bridge in
 * server/) and the CLI build the same services through this function.
 *
 * STUB: the foundation backend fills this in (store, sources, watcher, feature handlers).
 */
export interface WorkbenchConfig {
  dataDir: string;
  transport: WorkbenchContext['transport'];
  /** Where to send push events; transports fan them out to renderers. */
  emit?: <K extends EventName>(name: K, payload: EventPayloadOf<K>) => void;
  /** Folders to add to settings and scan at start (e.g. `npm run serve -- <folder>`). */
  initialFolders?: string[];
  /** Database file; defaults to <dataDir>/index.sqlite. */
  dbPath?: string;
  /** Watch remembered folders for new files (off in tests/CLI). */
  watch?: boolean;
  appVersion?: string;
}

export interface Workbench {
  readonly handlers: Handlers;
  readonly ctx: WorkbenchContext;
  close(): Promise<void>;
}

export async function createWorkbench(_config: WorkbenchConfig): Promise<Workbench> {
  throw new Error('createWorkbench: not implemented yet');
}
