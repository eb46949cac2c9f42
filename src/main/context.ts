import type { EventName, EventPayloadOf } from '../shared/contract/index';
import type { RetentionReport } from '../shared/contract/preferences';
import type { RuleRegistry } from './analysis/rules/registry';
import type { PathGrants } from './sources/path-check';
import type { IncidentStore } from './store/incident-store';
import type { BisectService } from './sources/setup/bisect-service';
import type { SetupService } from './sources/setup/setup-service';
import type { SourceService } from './sources/source-service';

/**
 * What a feature's handler factory gets from the composition root (workbench.ts).
 * Read what you need from it; never construct a second store.
 */
export interface WorkbenchContext {
  /** Per-user data folder (settings, index DB, imported bundles, captures). */
  readonly dataDir: string;
  readonly transport: 'electron' | 'serve' | 'cli' | 'test';
  /** What `app:info` reports (package version; 0.0.0 in tests). */
  readonly appVersion: string;
  /** Push an event to every connected renderer. */
  emit<K extends EventName>(name: K, payload: EventPayloadOf<K>): void;
  /** The SQLite index, through its named queries (no SQL runs outside store/). */
  readonly store: IncidentStore;
  /** Scanning and ingest. Features that create files (capture, bundle import) write them under
   *  `dirs.captures` / `dirs.imports` and call `sources.scanFolder(dir)`: files stay the truth. */
  readonly sources: SourceService;
  /** This workbench's rules in force (bundled + the user's folder when turned on). */
  readonly rules: RuleRegistry;
  readonly dirs: { readonly captures: string; readonly imports: string };
  /** Paths the user gave through the OS (dialogs, drops); see path-check.ts. */
  readonly grants: PathGrants;
  /** Retention of captures and imported bundles (it also runs after each capture and import). */
  readonly storage?: { clean(): Promise<RetentionReport> };
  /** The mod setups the user chose (MO2/Vortex): snapshots, mod names, load-order diff. */
  readonly setup: SetupService;
  /** The guided bisect over a profile (state in the data folder). */
  readonly bisect: BisectService;
}
