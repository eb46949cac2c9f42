import type { EventName, EventPayloadOf } from '../shared/contract/index';
import type { IncidentStore } from './store/incident-store';
import type { BisectService } from './setup/bisect-service';
import type { SetupService } from './setup/setup-service';
import type { SourceService } from './sources/source-service';

/**
 * What a feature's handler factory gets from the composition root (workbench.ts).
 * Read what you need from it; never construct a second store.
 */
export interface WorkbenchContext {
  /** Per-user data folder (settings, index DB, imported bundles, captures). */
  readonly dataDir: string;
  readonly transport: 'electron' | 'serve' | 'cli' | 'test';
  /** Push an event to every connected renderer. */
  emit<K extends EventName>(name: K, payload: EventPayloadOf<K>): void;
  /** The SQLite index (read incidents/artifacts; raw `db` for feature queries such as trends). */
  readonly store: IncidentStore;
  /** Scanning and ingest. Features that create files (capture, bundle import) write them under
   *  `dirs.captures` / `dirs.imports` and call `sources.scanFolder(dir)`: files stay the truth. */
  readonly sources: SourceService;
  readonly dirs: { readonly captures: string; readonly imports: string };
  /** The mod setups the user chose (MO2/Vortex): snapshots, mod names, load-order diff. */
  readonly setup: SetupService;
  /** The guided bisect over a profile (state in the data folder). */
  readonly bisect: BisectService;
}
