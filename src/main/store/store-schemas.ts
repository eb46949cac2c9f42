import type { Verdict } from '../../shared/domain/incident';
import type { SnapshotBody } from '../../shared/domain/setup';

/**
 * The two reads of the index that validate stored JSON with zod: an incident's verdict (get)
 * and a setup snapshot's body (SetupStore.snapshot). The store's own module
 * (sqlite-store-base.ts) does not import zod, so a no-change `scan`, which opens the index and
 * lists it without validating anything, never loads it (issue 15: ~40 ms of a 1,000-incident
 * rescan). sqlite-store.ts, the module every other user imports, installs them.
 */
export interface StoreSchemas {
  verdict(json: unknown): Verdict | null;
  snapshotBody(json: unknown): SnapshotBody | null;
}

let installed: StoreSchemas | null = null;

export function installStoreSchemas(schemas: StoreSchemas): void {
  installed = schemas;
}

export function storeSchemas(): StoreSchemas {
  if (!installed)
    throw new Error('the store schemas are not loaded: import store/sqlite-store, not sqlite-store-base');
  return installed;
}
