import type Database from 'better-sqlite3';
import type { ListQuery } from '../../shared/contract/incidents';
import type { Artifact, IncidentDetail, IncidentStatus, IncidentSummary } from '../../shared/domain/incident';
import type { ConfirmedCauseStore } from './confirmed-causes';

/**
 * The incident index (SQLite, WAL). Files are the truth: everything here can be rebuilt by a
 * scan, except triage status/notes, which are mirrored to a JSON sidecar in the data folder.
 *
 * Tables (see migrations.ts) feature code may read through `db`:
 *   incidents(id TEXT PK, kind, source, captured_at TEXT ISO, captured_ms INT, folder, title,
 *             signature, status, notes, verdict_json, has_errors INT, artifact_count INT)
 *   artifacts(id INT PK, incident_id, role, path UNIQUE, name, size, mtime_ms, sha256,
 *             parse_status, parse_error, analyzer, facts_json)
 *   incident_modules(incident_id, module, role 'faulting'|'suspect'|'stack', hits)
 *   incident_fts(rowid = incidents.rowid, title, body)   -- FTS5
 *   settings(key PK, value_json)
 */
export interface IncidentStore {
  readonly db: Database.Database;
  readonly path: string;
  /** Causes the player confirmed (confirmed-causes.ts). */
  readonly causes: ConfirmedCauseStore;
  list(query: ListQuery): { total: number; items: IncidentSummary[] };
  get(id: string): IncidentDetail | null;
  getArtifact(id: number): Artifact | null;
  /** Stored analyzer output for an artifact (`facts` from its ArtifactAnalyzer), or null. */
  getFacts(artifactId: number): { analyzer: string; facts: unknown } | null;
  setStatus(id: string, status: IncidentStatus, notes?: string): boolean;
  getSetting<T>(key: string, fallback: T): T;
  setSetting(key: string, value: unknown): void;
  close(): void;
}
