import type Database from 'better-sqlite3';

/**
 * Numbered schema migrations. Append only: never edit a shipped step, add a new one.
 * `user_version` records the last applied step; each step runs in its own transaction.
 */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

/**
 * Migration 13's and 14's triggers: after `event`, each folder that `rows` yield (INSERT sources
 * of (folder, stamp)) gets a new random stamp in `table`.
 */
function stampTrigger(name: string, event: string, rows: string[], table = 'folder_writes'): string {
  const stamp = (row: string) =>
    `INSERT INTO ${table} (folder, stamp) ${row} ON CONFLICT(folder) DO UPDATE SET stamp = excluded.stamp;`;
  return `CREATE TRIGGER ${table}_${name} AFTER ${event} BEGIN ${rows.map(stamp).join(' ')} END;`;
}

/** An incident row's folder. */
const folderOf = (row: 'NEW' | 'OLD') => `VALUES (${row}.folder, hex(randomblob(12)))`;

/** The folder of an artifact row's incident (none while that incident itself is deleted: its trigger stamps). */
const ofIncident = (row: 'NEW' | 'OLD') =>
  `SELECT folder, hex(randomblob(12)) FROM incidents WHERE id = ${row}.incident_id`;

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'incidents, artifacts, settings',
    up: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        group_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        captured_ms INTEGER NOT NULL,
        folder TEXT NOT NULL,
        title TEXT NOT NULL,
        signature TEXT,
        status TEXT NOT NULL DEFAULT 'new',
        notes TEXT NOT NULL DEFAULT '',
        verdict_json TEXT,
        has_errors INTEGER NOT NULL DEFAULT 0,
        artifact_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX incidents_captured ON incidents(captured_ms DESC);
      CREATE INDEX incidents_folder ON incidents(folder);
      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT,
        parse_status TEXT NOT NULL,
        parse_error TEXT
      );
      CREATE INDEX artifacts_incident ON artifacts(incident_id);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'analyzer facts, module participation, full-text search',
    up: `
      ALTER TABLE artifacts ADD COLUMN analyzer TEXT;
      ALTER TABLE artifacts ADD COLUMN facts_json TEXT;
      CREATE TABLE incident_modules (
        incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        module TEXT NOT NULL COLLATE NOCASE,
        role TEXT NOT NULL,
        hits INTEGER NOT NULL,
        PRIMARY KEY (incident_id, module, role)
      );
      CREATE INDEX incident_modules_module ON incident_modules(module);
      CREATE INDEX incidents_signature ON incidents(signature);
      CREATE VIRTUAL TABLE incident_fts USING fts5(incident_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');
    `,
  },
  {
    version: 3,
    // v2 deleted search rows by an UNINDEXED column (a full scan of the FTS table per
    // rewritten incident: indexing 10,000 incidents took a minute) and sorted every match by
    // time. Search rows are now keyed by `search_key` (capture time * 1024 + a tie slot), so
    // deletes are O(log n) and "newest first" is the FTS table's own rowid order (no sort).
    // Keys are assigned and the old search text moved over by the store right after
    // migrating (SqliteIncidentStore.backfillSearchKeys), where ties can be probed safely.
    name: 'time-ordered search keys',
    up: `
      ALTER TABLE incidents ADD COLUMN search_key INTEGER;
      CREATE UNIQUE INDEX incidents_search_key ON incidents(search_key);
      ALTER TABLE incident_fts RENAME TO incident_fts_v2;
      CREATE VIRTUAL TABLE incident_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
    `,
  },
  {
    version: 4,
    name: 'trends: covering indexes, per-incident module participation kept by triggers',
    // Trends group 100,000 incidents by day, bucket and module. module_participation holds one
    // row per (incident, module) with its time and kind, so "in how many crashes was X, and in
    // how many was it the faulting module" is a count over one index already in module order:
    // no join, no DISTINCT, no sort (bench/trends-bench.ts). Triggers keep it in step with
    // incident_modules/incidents whoever writes them. (signature, captured_ms) replaces the
    // signature index it extends.
    up: `
      DROP INDEX incidents_signature;
      CREATE INDEX incidents_signature_time ON incidents(signature, captured_ms);
      CREATE INDEX incidents_time_kind ON incidents(captured_ms, kind, signature);
      CREATE TABLE module_participation (
        incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        module TEXT NOT NULL COLLATE NOCASE,
        faulting INTEGER NOT NULL,
        captured_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (incident_id, module)
      ) WITHOUT ROWID;
      CREATE INDEX module_participation_module ON module_participation(module, captured_ms, kind, faulting);
      INSERT INTO module_participation (incident_id, module, faulting, captured_ms, kind)
        SELECT m.incident_id, m.module, max(m.role = 'faulting'), i.captured_ms, i.kind
        FROM incident_modules m JOIN incidents i ON i.id = m.incident_id
        GROUP BY m.incident_id, m.module;
      CREATE TRIGGER incident_modules_participation_ins AFTER INSERT ON incident_modules BEGIN
        INSERT INTO module_participation (incident_id, module, faulting, captured_ms, kind)
          SELECT NEW.incident_id, NEW.module, NEW.role = 'faulting', i.captured_ms, i.kind
          FROM incidents i WHERE i.id = NEW.incident_id
          ON CONFLICT (incident_id, module) DO UPDATE SET faulting = max(faulting, excluded.faulting);
      END;
      CREATE TRIGGER incident_modules_participation_del AFTER DELETE ON incident_modules BEGIN
        DELETE FROM module_participation WHERE incident_id = OLD.incident_id AND module = OLD.module
          AND NOT EXISTS (SELECT 1 FROM incident_modules WHERE incident_id = OLD.incident_id AND module = OLD.module);
        UPDATE module_participation SET faulting = EXISTS (
            SELECT 1 FROM incident_modules
            WHERE incident_id = OLD.incident_id AND module = OLD.module AND role = 'faulting')
          WHERE incident_id = OLD.incident_id AND module = OLD.module;
      END;
      CREATE TRIGGER incidents_participation_upd AFTER UPDATE OF captured_ms, kind ON incidents BEGIN
        UPDATE module_participation SET captured_ms = NEW.captured_ms, kind = NEW.kind WHERE incident_id = NEW.id;
      END;
    `,
  },
  {
    version: 5,
    // The triggers of step 4 doubled the cost of writing an incident (one INSERT ... SELECT per
    // module row): a cold index of 10,000 incidents spent seconds in them. The store's writer
    // now keeps module_participation itself, one row per distinct module, in the same
    // transaction; deletes still cascade from incidents.
    name: 'module participation written by the store',
    up: `
      DROP TRIGGER incident_modules_participation_ins;
      DROP TRIGGER incident_modules_participation_del;
      DROP TRIGGER incidents_participation_upd;
    `,
  },
  {
    version: 6,
    // The list shows the probable cause ("Probable cause: X — why, confidence. Next: …") in its
    // verdict column; kept beside verdict_json so a page of the list never parses verdicts.
    // Incidents indexed before this step get it when their files are analysed again.
    name: 'probable-cause headline for the incident list',
    up: `
      ALTER TABLE incidents ADD COLUMN headline TEXT;
      ALTER TABLE incidents ADD COLUMN cause_confidence TEXT;
    `,
  },
  {
    version: 7,
    // The list shows and filters by game (Skyrim and Fallout 4 incidents interleave), and
    // trends split by game and leave imported bundles out (someone else's crashes). The store
    // writes incidents.game (shared/domain/game.ts) and copies source and game into
    // module_participation, whose index stays covering for the module chart. Rows already
    // indexed get the game from the verdict, a game exe among their modules, or SkyrimDiag; a
    // rescan computes it from the files as well.
    name: 'game per incident; source and game in module participation',
    up: `
      ALTER TABLE incidents ADD COLUMN game TEXT;
      UPDATE incidents SET game = CASE
        WHEN lower(coalesce(json_extract(verdict_json, '$.game'), '')) GLOB '*skyrim*' THEN 'skyrim'
        WHEN lower(coalesce(json_extract(verdict_json, '$.game'), '')) GLOB '*fallout*4*' THEN 'fallout4'
        WHEN EXISTS (SELECT 1 FROM incident_modules m WHERE m.incident_id = incidents.id
          AND m.module IN ('SkyrimSE.exe', 'SkyrimVR.exe', 'Skyrim.exe', 'TESV.exe')) THEN 'skyrim'
        WHEN EXISTS (SELECT 1 FROM incident_modules m WHERE m.incident_id = incidents.id
          AND m.module IN ('Fallout4.exe', 'Fallout4VR.exe')) THEN 'fallout4'
        WHEN source = 'skyrimdiag' THEN 'skyrim'
        ELSE NULL END;
      CREATE INDEX incidents_game ON incidents(game, captured_ms);
      DROP INDEX incidents_time_kind;
      CREATE INDEX incidents_time_kind ON incidents(captured_ms, kind, signature, source, game);
      DROP INDEX incidents_signature_time;
      CREATE INDEX incidents_signature_time ON incidents(signature, captured_ms, source, game);
      ALTER TABLE module_participation ADD COLUMN source TEXT NOT NULL DEFAULT '';
      ALTER TABLE module_participation ADD COLUMN game TEXT;
      UPDATE module_participation SET
        source = (SELECT i.source FROM incidents i WHERE i.id = module_participation.incident_id),
        game = (SELECT i.game FROM incidents i WHERE i.id = module_participation.incident_id);
      DROP INDEX module_participation_module;
      CREATE INDEX module_participation_module
        ON module_participation(module, captured_ms, kind, faulting, source, game);
    `,
  },
  {
    version: 8,
    // The mod setup behind each incident (issue 17). Snapshots are stored once per content
    // hash; incidents and sessions point at them. incident_setup and incident_mods carry no
    // foreign key to incidents: incident ids are stable across "Rebuild index", and which
    // profile a crash ran with cannot be read back from the files afterwards.
    name: 'setup snapshots, incident setups, sessions without a crash, mods per incident',
    up: `
      CREATE TABLE setup_snapshots (
        hash TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        game TEXT,
        plugin_count INTEGER NOT NULL,
        mod_count INTEGER NOT NULL,
        body_json TEXT NOT NULL,
        first_ms INTEGER NOT NULL
      );
      CREATE TABLE incident_setup (
        incident_id TEXT NOT NULL,
        source TEXT NOT NULL,
        hash TEXT NOT NULL REFERENCES setup_snapshots(hash),
        instance TEXT,
        profile TEXT,
        captured_ms INTEGER NOT NULL,
        PRIMARY KEY (incident_id, source)
      ) WITHOUT ROWID;
      CREATE INDEX incident_setup_time ON incident_setup(source, captured_ms);
      CREATE TABLE setup_sessions (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL REFERENCES setup_snapshots(hash),
        kind TEXT NOT NULL,
        instance TEXT,
        profile TEXT,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL
      );
      CREATE INDEX setup_sessions_time ON setup_sessions(first_ms);
      CREATE TABLE incident_mods (
        incident_id TEXT NOT NULL,
        mod TEXT NOT NULL COLLATE NOCASE,
        version TEXT,
        nexus_id INTEGER,
        faulting INTEGER NOT NULL,
        captured_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (incident_id, mod)
      ) WITHOUT ROWID;
      CREATE INDEX incident_mods_mod ON incident_mods(mod, captured_ms);
      CREATE TABLE mod_versions (
        mod TEXT NOT NULL COLLATE NOCASE,
        version TEXT NOT NULL,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        PRIMARY KEY (mod, version)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    // The two-level signature (docs/SIGNATURES.md): `signature` becomes the stable bucket of one
    // scheme for dumps, crash logs and hangs, `culprit_key` the probable cause's subject. The old
    // keys cannot be converted (the stored analyzer output lacks the stack frames the bucket is
    // made of), so the signatures are cleared and every artifact that produced a verdict is
    // marked changed: the next scan reads it again and writes the new keys (re-keying).
    // Confirmed causes are the player's own knowledge: they never cascade away with an incident
    // (a rescan deletes and rewrites incidents) and are mirrored to a JSON file in the data folder.
    name: 'two-level signature, confirmed causes',
    up: `
      ALTER TABLE incidents ADD COLUMN culprit_key TEXT;
      CREATE INDEX incidents_culprit ON incidents(culprit_key, captured_ms) WHERE culprit_key IS NOT NULL;
      CREATE INDEX incidents_fixed ON incidents(signature, captured_ms) WHERE status = 'fixed';
      CREATE TABLE confirmed_causes (
        id INTEGER PRIMARY KEY,
        incident_id TEXT,
        bucket TEXT,
        culprit_key TEXT,
        cause TEXT NOT NULL,
        fix TEXT NOT NULL DEFAULT '',
        fixed INTEGER NOT NULL DEFAULT 0,
        confirmed_at TEXT NOT NULL,
        incident_captured_ms INTEGER,
        origin TEXT NOT NULL DEFAULT 'local',
        source TEXT,
        CHECK (bucket IS NOT NULL OR culprit_key IS NOT NULL)
      );
      CREATE INDEX confirmed_causes_bucket ON confirmed_causes(bucket) WHERE bucket IS NOT NULL;
      CREATE INDEX confirmed_causes_culprit ON confirmed_causes(culprit_key) WHERE culprit_key IS NOT NULL;
      UPDATE incidents SET signature = NULL;
      UPDATE artifacts SET mtime_ms = -1 WHERE analyzer IN ('minidump', 'crashlog', 'wct', 'skyrimdiag-summary');
    `,
  },
  {
    version: 10,
    // Every scan reads (path, role, size, mtime) of a folder's artifacts to tell what changed.
    // From the tables that meant a page per row or two (incident rows carry the verdict,
    // artifact rows facts_json): the largest part of a 10,000-file no-change rescan (issue 15).
    // These two indexes answer it alone; each replaces an index on its first column.
    name: 'covering indexes for the scan state of a folder',
    up: `
      CREATE INDEX artifacts_state ON artifacts(incident_id, path, role, size, mtime_ms);
      DROP INDEX artifacts_incident;
      CREATE INDEX incidents_folder_id ON incidents(folder, id);
      DROP INDEX incidents_folder;
    `,
  },
  {
    version: 11,
    // The full integrity check at open read every page of the index (seconds at 20,000
    // incidents, issue 15). It now runs when the last session did not close in order, the file
    // changed since, or a week has passed (clean-close.ts); this row is what the store needs
    // for that: sessions begun and not ended, when a full check last passed, and the token of
    // the last orderly close (matched against the sidecar beside the index).
    name: 'integrity state: sessions open, last full check, last orderly close',
    up: `
      CREATE TABLE integrity_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sessions INTEGER NOT NULL DEFAULT 0,
        checked_ms INTEGER,
        close_token TEXT
      );
      INSERT INTO integrity_state (id) VALUES (1);
    `,
  },
  {
    version: 12,
    // `scan` lists every incident of the scanned folders. Read from the table, each row was a
    // page of its own (the verdict makes rows about 2 KB, and the columns after it are reached
    // through overflow pages): 0.3-0.6 s at 20,000 incidents, mostly page reads. This index holds
    // every column of an IncidentSummary and what `regressed` compares (SUMMARY_COLUMNS in
    // sqlite-store.ts), so the listing never touches the table (about 3.5% of the file).
    name: 'covering index for the listing of scanned folders',
    up: `
      CREATE INDEX incidents_listing ON incidents(folder, captured_at, search_key, id, kind, source, status,
        has_errors, title, artifact_count, signature, captured_ms, culprit_key, cause_confidence, game, headline);
    `,
  },
  {
    version: 13,
    // A no-change rescan proved the folder's index state unchanged by reading every (incident,
    // path, role, size, mtime) row of it: 40,000 rows and a tenth of a 20,000-incident rescan
    // (issue 15). These triggers give each folder a stamp that changes with every write to what
    // that state is made of (an incident added, removed or moved; an artifact added, removed,
    // moved, or its path, role, size or mtime changed), and never otherwise (a status, a note, a
    // verdict). The stamp is random, not a counter: two copies of an index that went separate
    // ways do not end on the same stamp. A folder without a row has had no incident written
    // since this migration, which seeds a row for every folder that has one.
    name: 'per-folder stamp of the scan state, kept by triggers',
    up: `
      CREATE TABLE folder_writes (folder TEXT PRIMARY KEY, stamp TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO folder_writes (folder, stamp) SELECT folder, hex(randomblob(12)) FROM incidents GROUP BY folder;
      ${stampTrigger('incident_in', 'INSERT ON incidents', [folderOf('NEW')])}
      ${stampTrigger('incident_moved', 'UPDATE OF id, folder ON incidents', [folderOf('OLD'), folderOf('NEW')])}
      ${stampTrigger('incident_out', 'DELETE ON incidents', [folderOf('OLD')])}
      ${stampTrigger('artifact_in', 'INSERT ON artifacts', [ofIncident('NEW')])}
      ${stampTrigger('artifact_moved', 'UPDATE OF incident_id, path, role, size, mtime_ms ON artifacts', [
        ofIncident('OLD'),
        ofIncident('NEW'),
      ])}
      ${stampTrigger('artifact_out', 'DELETE ON artifacts', [ofIncident('OLD')])}
    `,
  },
  {
    version: 14,
    // A no-change rescan still printed every incident of its folders from the index: at 20,000
    // incidents the listing query was a fifth of the rescan (issue 15). The scan now keeps its
    // last listing beside the index (store/listing-cache.ts) under these stamps: each folder's
    // changes with every write to what its listing shows or its order (an incident added,
    // removed or moved; its kind, source, status, time, error mark, title or search key), and
    // never otherwise (a verdict, a note, an artifact). Random, as folder_writes' stamps are.
    name: "per-folder stamp of the listing's columns, kept by triggers",
    up: `
      CREATE TABLE listing_writes (folder TEXT PRIMARY KEY, stamp TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO listing_writes (folder, stamp) SELECT folder, hex(randomblob(12)) FROM incidents GROUP BY folder;
      ${stampTrigger('in', 'INSERT ON incidents', [folderOf('NEW')], 'listing_writes')}
      ${stampTrigger(
        'changed',
        'UPDATE OF id, folder, kind, source, status, captured_at, has_errors, title, search_key ON incidents',
        [folderOf('OLD'), folderOf('NEW')],
        'listing_writes',
      )}
      ${stampTrigger('out', 'DELETE ON incidents', [folderOf('OLD')], 'listing_writes')}
    `,
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;

/** Applies every step above the database's user_version; returns the versions applied. */
export function migrate(db: Database.Database, target = LATEST_VERSION): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new Error(
      `The index was written by a newer CTD Workbench (schema ${current}, this build knows ${LATEST_VERSION}). Rebuild the index or update the app.`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
