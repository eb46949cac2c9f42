import type { ListQuery } from '../../shared/contract/incidents';
import type { TrendsIndex } from '../../shared/domain/trends-index';
import type { Artifact, IncidentDetail, IncidentStatus, IncidentSummary } from '../../shared/domain/incident';
import type { ConfirmedCauseStore } from './confirmed-causes';

/**
 * The incident index as features see it (SQLite, WAL; the schema is migrations.ts). Files are
 * the truth: everything here can be rebuilt by a scan, except triage status/notes, which are
 * mirrored to a JSON sidecar in the data folder. Settings (getSetting/setSetting) live in
 * <data folder>/settings.json, never in the index. Every query is a named method here; no SQL
 * runs outside store/. The ingest pipeline writes through SqliteIncidentStore's writer methods.
 */
export interface IncidentStore {
  readonly path: string;
  /** The grouped counts trends are computed from (analysis/trends/compute-trends.ts). */
  readonly trends: TrendsIndex;
  /** Causes the player confirmed (confirmed-causes.ts). */
  readonly causes: ConfirmedCauseStore;
  list(query: ListQuery): { total: number; items: IncidentSummary[] };
  get(id: string): IncidentDetail | null;
  getArtifact(id: number): Artifact | null;
  /** The incident an artifact file belongs to, by its path. */
  incidentIdOfArtifact(path: string): string | null;
  /** Ids starting with `prefix` (at most `limit`), for ids typed short. */
  incidentIdsByPrefix(prefix: string, limit: number): string[];
  /** One scanned folder's incidents, newest first. */
  incidentsInFolder(folder: string): IncidentSummary[];
  /** Several folders' incidents, newest first, one at a time (the scan command's listing). */
  incidentsInFolders(folders: readonly string[]): Iterable<IncidentSummary>;
  /** Stored analyzer output for an artifact (`facts` from its ArtifactAnalyzer), or null. */
  getFacts(artifactId: number): { analyzer: string; facts: unknown } | null;
  setStatus(id: string, status: IncidentStatus, notes?: string): boolean;
  getSetting<T>(key: string, fallback: T): T;
  setSetting(key: string, value: unknown): void;
  /**
   * SQLite found the index damaged in use: it is moved aside (kept) and a fresh one opened; the
   * caller rescans. Returns where the damaged file went.
   */
  recover(): string;
  /** Deletes every incident (a rebuild follows with a scan); triage survives in its sidecar. */
  clear(): void;
  close(): void;
}
