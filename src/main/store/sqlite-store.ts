import { Verdict } from '../../shared/domain/incident';
import { SnapshotBody } from '../../shared/domain/setup';
import { installStoreSchemas } from './store-schemas';

/**
 * The SQLite index (sqlite-store-base.ts) with the schemas its validating reads use. Import the
 * store from here; only the CLI's no-change scan check imports the base alone (store-schemas.ts).
 */
installStoreSchemas({
  verdict: (json) => {
    const parsed = Verdict.safeParse(json);
    return parsed.success ? parsed.data : null;
  },
  snapshotBody: (json) => {
    const parsed = SnapshotBody.safeParse(json);
    return parsed.success ? parsed.data : null;
  },
});

export * from './sqlite-store-base';
