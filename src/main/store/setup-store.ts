import type Database from 'better-sqlite3';
import type { ModTrendRow, SnapshotBody, SnapshotSource } from '../../shared/domain/setup';
import { storeSchemas } from './store-schemas';
import { statement, type ReadableDB, type WritableDB } from './db';

/**
 * The setup tables of migration 6, behind named methods (no SQL outside the store):
 *   setup_snapshots(hash PK, source, game, plugin_count, mod_count, body_json, first_ms)
 *   incident_setup(incident_id, source 'crashlog'|'profile', hash, instance, profile, captured_ms)
 *   setup_sessions(id, hash, kind 'observed'|'good', instance, profile, first_ms, last_ms)
 *   incident_mods(incident_id, mod, version, nexus_id, faulting, captured_ms, kind)
 *   mod_versions(mod, version, first_ms, last_ms)
 * Times are wall clock stored as if UTC, like incidents.captured_ms. Writes (and the reads a
 * write depends on) go to the writer, what the UI and the CLI ask for to the read-only
 * connection.
 */
export type LinkSource = 'crashlog' | 'profile';

export interface IncidentSetupLink {
  incidentId: string;
  source: LinkSource;
  hash: string;
  instance: string | null;
  profile: string | null;
  capturedMs: number;
}

export interface SetupSession {
  hash: string;
  kind: 'observed' | 'good';
  instance: string | null;
  profile: string | null;
  firstMs: number;
  lastMs: number;
}

export interface SnapshotInfo {
  hash: string;
  source: SnapshotSource;
  game: string | null;
  plugins: number;
  mods: number;
  firstMs: number;
}

export interface IncidentModRow {
  mod: string;
  version: string | null;
  nexusId: number | null;
  faulting: boolean;
}

type Row = Record<string, unknown>;

export class SetupStore {
  private readonly bodies = new Map<string, SnapshotBody>();

  constructor(
    private readonly writer: WritableDB,
    private readonly reader: ReadableDB,
  ) {}

  /** A statement on the writer. */
  private sql(text: string): Database.Statement {
    return statement(this.writer, text);
  }

  /** A statement on the read-only connection. */
  private read(text: string): Database.Statement {
    return statement(this.reader, text);
  }

  transaction<T>(fn: () => T): T {
    return this.writer.transaction(fn)();
  }

  /**
   * Stores a snapshot once; later calls with the same hash only keep the earliest time (and
   * do not serialize the body again: a Nolvus crash log lists 2,400 plugins).
   */
  putSnapshot(hash: string, body: SnapshotBody, atMs: number): void {
    if (
      this.sql('UPDATE setup_snapshots SET first_ms = min(first_ms, ?) WHERE hash = ?').run(atMs, hash)
        .changes
    )
      return;
    this.sql(
      `INSERT INTO setup_snapshots (hash, source, game, plugin_count, mod_count, body_json, first_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET first_ms = min(first_ms, excluded.first_ms)`,
    ).run(hash, body.source, body.game, body.plugins.length, body.mods.length, JSON.stringify(body), atMs);
  }

  hasSnapshot(hash: string): boolean {
    return !!this.read('SELECT 1 FROM setup_snapshots WHERE hash = ?').get(hash);
  }

  snapshot(hash: string): SnapshotBody | null {
    const cached = this.bodies.get(hash);
    if (cached) return cached;
    const r = this.read('SELECT body_json FROM setup_snapshots WHERE hash = ?').get(hash) as Row | undefined;
    if (!r) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.body_json as string);
    } catch {
      return null;
    }
    const body = storeSchemas().snapshotBody(parsed);
    if (!body) return null;
    if (this.bodies.size > 32) this.bodies.clear();
    this.bodies.set(hash, body);
    return body;
  }

  snapshotInfo(hash: string): SnapshotInfo | null {
    const r = this.read(
      'SELECT hash, source, game, plugin_count, mod_count, first_ms FROM setup_snapshots WHERE hash = ?',
    ).get(hash) as Row | undefined;
    if (!r) return null;
    return {
      hash: r.hash as string,
      source: r.source as SnapshotSource,
      game: (r.game as string | null) ?? null,
      plugins: Number(r.plugin_count),
      mods: Number(r.mod_count),
      firstMs: Number(r.first_ms),
    };
  }

  /**
   * Records which setup an incident ran with. A crash log's own list is replaced when the log
   * changes; a profile link is never overwritten (it was true when the crash was seen).
   */
  link(l: IncidentSetupLink): void {
    const verb = l.source === 'crashlog' ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
    this.sql(
      `${verb} INTO incident_setup (incident_id, source, hash, instance, profile, captured_ms) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(l.incidentId, l.source, l.hash, l.instance, l.profile, l.capturedMs);
  }

  links(incidentId: string): IncidentSetupLink[] {
    return (
      this.read('SELECT * FROM incident_setup WHERE incident_id = ? ORDER BY source').all(incidentId) as Row[]
    ).map(toLink);
  }

  /** Incidents captured in [fromMs, toMs) that have no profile link yet (newest first). */
  unlinkedIncidents(
    fromMs: number,
    toMs: number,
    limit: number,
  ): { id: string; capturedMs: number; kind: string; verdictJson: string | null }[] {
    return (
      this.read(
        `SELECT i.id, i.captured_ms, i.kind, i.verdict_json FROM incidents i
         WHERE i.captured_ms >= ? AND i.captured_ms < ?
           AND NOT EXISTS (SELECT 1 FROM incident_setup s WHERE s.incident_id = i.id AND s.source = 'profile')
         ORDER BY i.captured_ms DESC LIMIT ?`,
      ).all(fromMs, toMs, limit) as Row[]
    ).map((r) => ({
      id: r.id as string,
      capturedMs: Number(r.captured_ms),
      kind: r.kind as string,
      verdictJson: (r.verdict_json as string | null) ?? null,
    }));
  }

  /** The verdict of an incident rewritten with mod names (the relink pass). */
  updateVerdict(incidentId: string, verdictJson: string): void {
    this.sql('UPDATE incidents SET verdict_json = ? WHERE id = ?').run(verdictJson, incidentId);
  }

  /**
   * The latest links of a source before `beforeMs` whose snapshot differs from `notHash`,
   * newest first, joined with existing incidents.
   */
  earlierLinks(source: LinkSource, beforeMs: number, notHash: string, limit: number): IncidentSetupLink[] {
    return (
      this.read(
        `SELECT s.* FROM incident_setup s JOIN incidents i ON i.id = s.incident_id
         WHERE s.source = ? AND s.captured_ms < ? AND s.hash != ?
         ORDER BY s.captured_ms DESC LIMIT ?`,
      ).all(source, beforeMs, notHash, limit) as Row[]
    ).map(toLink);
  }

  /**
   * Notes that a setup was seen in use: an "observed" row is extended while the same
   * instance/profile keeps the same snapshot, and a new one starts when it changes.
   */
  observe(s: Omit<SetupSession, 'firstMs' | 'lastMs'> & { atMs: number }): void {
    if (s.kind === 'observed') {
      const last = this.sql(
        `SELECT id, hash, last_ms FROM setup_sessions WHERE kind = 'observed' AND instance IS ? AND profile IS ?
         ORDER BY last_ms DESC LIMIT 1`,
      ).get(s.instance, s.profile) as Row | undefined;
      if (last && last.hash === s.hash) {
        this.sql('UPDATE setup_sessions SET last_ms = max(last_ms, ?) WHERE id = ?').run(s.atMs, last.id);
        return;
      }
    }
    this.sql(
      'INSERT INTO setup_sessions (hash, kind, instance, profile, first_ms, last_ms) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(s.hash, s.kind, s.instance, s.profile, s.atMs, s.atMs);
  }

  /** Sessions that started before `beforeMs`, newest first. */
  sessionsBefore(beforeMs: number, limit: number): SetupSession[] {
    return (
      this.read('SELECT * FROM setup_sessions WHERE first_ms < ? ORDER BY first_ms DESC LIMIT ?').all(
        beforeMs,
        limit,
      ) as Row[]
    ).map((r) => ({
      hash: r.hash as string,
      kind: r.kind as SetupSession['kind'],
      instance: (r.instance as string | null) ?? null,
      profile: (r.profile as string | null) ?? null,
      firstMs: Number(r.first_ms),
      lastMs: Number(r.last_ms),
    }));
  }

  /** Whether any incident ran with this snapshot (a session with a crash is not a good one). */
  crashedWith(hash: string): boolean {
    return !!this.read(
      `SELECT 1 FROM incident_setup s JOIN incidents i ON i.id = s.incident_id WHERE s.hash = ? AND i.kind IN ('crash', 'hang') LIMIT 1`,
    ).get(hash);
  }

  /** Replaces the mods an incident implicates. */
  setIncidentMods(
    incidentId: string,
    capturedMs: number,
    kind: string,
    mods: readonly IncidentModRow[],
  ): void {
    this.sql('DELETE FROM incident_mods WHERE incident_id = ?').run(incidentId);
    const ins = this.sql(
      `INSERT INTO incident_mods (incident_id, mod, version, nexus_id, faulting, captured_ms, kind) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(incident_id, mod) DO UPDATE SET faulting = max(faulting, excluded.faulting)`,
    );
    for (const m of mods)
      ins.run(incidentId, m.mod, m.version, m.nexusId, m.faulting ? 1 : 0, capturedMs, kind);
  }

  /** Notes the versions a recorded setup had, for "did the crash rate rise after an update". */
  noteModVersions(mods: readonly { name: string; version: string | null }[], atMs: number): void {
    const up = this.sql(
      `INSERT INTO mod_versions (mod, version, first_ms, last_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT(mod, version) DO UPDATE SET first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)`,
    );
    for (const m of mods) if (m.version) up.run(m.name, m.version, atMs, atMs);
  }

  /** Crash and hang incidents in [fromMs, toMs) with their implicated mods (existing incidents only). */
  modTrendRows(fromMs: number, toMs: number): ModTrendRow[] {
    return (
      this.read(
        `SELECT m.incident_id, m.mod, m.version, m.nexus_id, m.faulting, m.captured_ms, i.title, i.captured_at FROM incident_mods m
         JOIN incidents i ON i.id = m.incident_id
         WHERE m.captured_ms >= ? AND m.captured_ms < ? AND i.kind IN ('crash', 'hang')
         ORDER BY m.captured_ms DESC`,
      ).all(fromMs, toMs) as Row[]
    ).map((r) => ({
      incidentId: r.incident_id as string,
      title: r.title as string,
      capturedAt: r.captured_at as string,
      mod: r.mod as string,
      version: (r.version as string | null) ?? null,
      nexusId: r.nexus_id == null ? null : Number(r.nexus_id),
      faulting: Number(r.faulting) !== 0,
      capturedMs: Number(r.captured_ms),
    }));
  }

  modVersions(mods: readonly string[]): { mod: string; version: string; firstMs: number; lastMs: number }[] {
    if (mods.length === 0) return [];
    return (
      this.read(
        `SELECT mod, version, first_ms, last_ms FROM mod_versions WHERE mod IN (SELECT value FROM json_each(?)) ORDER BY mod, first_ms`,
      ).all(JSON.stringify(mods)) as Row[]
    ).map((r) => ({
      mod: r.mod as string,
      version: r.version as string,
      firstMs: Number(r.first_ms),
      lastMs: Number(r.last_ms),
    }));
  }

  /** The earliest incident time (for "all time" ranges). */
  firstIncidentMs(): number | null {
    const r = this.read('SELECT min(captured_ms) AS m FROM incidents').get() as Row;
    return r.m == null ? null : Number(r.m);
  }

  /** Resolves an incident id or unique prefix (null when none, 'ambiguous' when several). */
  incidentIdByPrefix(ref: string): string | null | 'ambiguous' {
    const rows = this.read('SELECT id FROM incidents WHERE id = ? OR id LIKE ? LIMIT 2').all(
      ref,
      `${ref.replace(/[%_]/g, '')}%`,
    ) as Row[];
    if (rows.some((r) => r.id === ref)) return ref;
    if (rows.length > 1) return 'ambiguous';
    return rows.length === 1 ? (rows[0]!.id as string) : null;
  }

  /** Incident time and kind, for the diff's "since" line. */
  incidentTime(id: string): { capturedMs: number; capturedAt: string; kind: string } | null {
    const r = this.read('SELECT captured_ms, captured_at, kind FROM incidents WHERE id = ?').get(id) as
      Row | undefined;
    return r
      ? { capturedMs: Number(r.captured_ms), capturedAt: r.captured_at as string, kind: r.kind as string }
      : null;
  }

  /** Newest crash/hang incidents captured at or after `sinceMs` (the bisect's "a crash answers bad"). */
  crashesSince(sinceMs: number, limit: number): { id: string; capturedMs: number }[] {
    return (
      this.read(
        `SELECT id, captured_ms FROM incidents WHERE captured_ms >= ? AND kind IN ('crash', 'hang') ORDER BY captured_ms ASC LIMIT ?`,
      ).all(sinceMs, limit) as Row[]
    ).map((r) => ({ id: r.id as string, capturedMs: Number(r.captured_ms) }));
  }

  /** Names of plugins and mods named as suspects of past incidents, with counts (bisect ordering). */
  pastSuspects(limit: number): Map<string, number> {
    const out = new Map<string, number>();
    const rows = this.read(
      `SELECT lower(json_extract(s.value, '$.name')) AS name, count(*) AS n
       FROM incidents i, json_each(i.verdict_json, '$.suspects') s
       WHERE i.verdict_json IS NOT NULL AND json_valid(i.verdict_json)
       GROUP BY 1 ORDER BY n DESC LIMIT ?`,
    ).all(limit) as Row[];
    for (const r of rows) if (typeof r.name === 'string') out.set(r.name, Number(r.n));
    const mods = this.read(
      'SELECT lower(mod) AS name, count(*) AS n FROM incident_mods GROUP BY 1',
    ).all() as Row[];
    for (const r of mods) out.set(r.name as string, (out.get(r.name as string) ?? 0) + Number(r.n));
    return out;
  }
}

function toLink(r: Row): IncidentSetupLink {
  return {
    incidentId: r.incident_id as string,
    source: r.source as LinkSource,
    hash: r.hash as string,
    instance: (r.instance as string | null) ?? null,
    profile: (r.profile as string | null) ?? null,
    capturedMs: Number(r.captured_ms),
  };
}
