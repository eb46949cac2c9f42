import type Database from 'better-sqlite3';
import { statement, type ReadableDB, type WritableDB } from './db';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CauseMatch, ConfirmedCause, Regression } from '../../shared/domain/causes';

/**
 * Confirmed causes (migration 6): the player's own knowledge, so unlike incidents they are not
 * rebuilt from files. The table is mirrored to a JSON file in the data folder after every change
 * and filled from it when the index starts empty (a rebuilt or recovered index keeps them).
 */

type Row = Record<string, unknown>;

export interface NewConfirmedCause {
  incidentId: string | null;
  bucket: string | null;
  culpritKey: string | null;
  cause: string;
  fix: string;
  fixed: boolean;
  /** ISO-8601 UTC; now when left out. */
  confirmedAt?: string;
  /** Capture time of the incident (wall clock as UTC ms, like `incidents.captured_ms`). */
  incidentCapturedMs: number | null;
  origin: 'local' | 'imported';
  source: string | null;
}

const wallIso = (ms: number) => new Date(ms).toISOString().slice(0, 23);

function toCause(r: Row): ConfirmedCause {
  const ms = r.incident_captured_ms;
  return {
    id: Number(r.id),
    incidentId: (r.incident_id as string | null) ?? null,
    bucket: (r.bucket as string | null) ?? null,
    culpritKey: (r.culprit_key as string | null) ?? null,
    cause: r.cause as string,
    fix: (r.fix as string | null) ?? '',
    fixed: Number(r.fixed) !== 0,
    confirmedAt: r.confirmed_at as string,
    incidentCapturedAt: typeof ms === 'number' ? wallIso(ms) : null,
    origin: r.origin === 'imported' ? 'imported' : 'local',
    source: (r.source as string | null) ?? null,
  };
}

export class ConfirmedCauseStore {
  constructor(
    private readonly db: WritableDB,
    private readonly reader: ReadableDB,
    private readonly sidecarPath: string,
  ) {
    this.restore();
  }

  /** Writes and the writer's own reads. */
  private sql(text: string): Database.Statement {
    return statement(this.db, text);
  }

  /** Reads for the UI, the CLI and trends: the read-only connection. */
  private read(text: string): Database.Statement {
    return statement(this.reader, text);
  }

  all(): ConfirmedCause[] {
    return (
      this.sql('SELECT * FROM confirmed_causes ORDER BY confirmed_at DESC, id DESC').all() as Row[]
    ).map(toCause);
  }

  get(id: number): ConfirmedCause | null {
    const r = this.sql('SELECT * FROM confirmed_causes WHERE id = ?').get(id) as Row | undefined;
    return r ? toCause(r) : null;
  }

  add(c: NewConfirmedCause): ConfirmedCause {
    const info = this.insert(c);
    this.save();
    return this.get(Number(info.lastInsertRowid))!;
  }

  /** Several at once (an imported rule file): one transaction, one sidecar write. */
  addMany(list: readonly NewConfirmedCause[]): ConfirmedCause[] {
    const ids = this.db.transaction(() => list.map((c) => Number(this.insert(c).lastInsertRowid)))();
    this.save();
    return ids.map((id) => this.get(id)!);
  }

  private insert(c: NewConfirmedCause): Database.RunResult {
    return this.sql(
      `INSERT INTO confirmed_causes (incident_id, bucket, culprit_key, cause, fix, fixed, confirmed_at, incident_captured_ms, origin, source)
       VALUES (@incidentId, @bucket, @culpritKey, @cause, @fix, @fixed, @confirmedAt, @incidentCapturedMs, @origin, @source)`,
    ).run({
      ...c,
      fixed: c.fixed ? 1 : 0,
      confirmedAt: c.confirmedAt ?? new Date().toISOString(),
    });
  }

  remove(id: number): boolean {
    const ok = this.sql('DELETE FROM confirmed_causes WHERE id = ?').run(id).changes > 0;
    if (ok) this.save();
    return ok;
  }

  /** Causes confirmed for this bucket or this culprit, newest first. */
  matching(bucket: string | null, culpritKey: string | null): CauseMatch[] {
    if (!bucket && !culpritKey) return [];
    const rows = this.read(
      `SELECT * FROM confirmed_causes WHERE (@bucket IS NOT NULL AND bucket = @bucket)
         OR (@culprit IS NOT NULL AND culprit_key = @culprit) ORDER BY confirmed_at DESC, id DESC`,
    ).all({ bucket, culprit: culpritKey }) as Row[];
    return rows.map((r) => {
      const c = toCause(r);
      const b = bucket !== null && c.bucket === bucket;
      const k = culpritKey !== null && c.culpritKey === culpritKey;
      return { ...c, matchedBy: b && k ? 'both' : b ? 'bucket' : 'culprit' };
    });
  }

  /**
   * Whether an incident is a regression: its bucket was marked fixed (an incident of the bucket
   * with status `fixed`, or a cause confirmed with a working fix) on an incident captured
   * before it. The latest such fix point is reported.
   */
  regression(inc: {
    id: string;
    signature: string | null;
    capturedMs: number;
    status: string;
  }): Regression | null {
    if (!inc.signature || inc.status === 'fixed') return null;
    const fixedInc = this.read(
      `SELECT id, captured_ms FROM incidents INDEXED BY incidents_fixed
       WHERE status = 'fixed' AND signature = ? AND captured_ms < ? ORDER BY captured_ms DESC LIMIT 1`,
    ).get(inc.signature, inc.capturedMs) as Row | undefined;
    const confirmed = this.read(
      `SELECT incident_id, incident_captured_ms, fix FROM confirmed_causes
       WHERE fixed = 1 AND bucket = ? AND incident_captured_ms < ? ORDER BY incident_captured_ms DESC LIMIT 1`,
    ).get(inc.signature, inc.capturedMs) as Row | undefined;
    const a = fixedInc ? Number(fixedInc.captured_ms) : -Infinity;
    const b = confirmed ? Number(confirmed.incident_captured_ms) : -Infinity;
    if (a === -Infinity && b === -Infinity) return null;
    // The fix text of the bucket's latest confirmed fix, whichever marker is newer.
    const fix = (confirmed?.fix as string | undefined) || null;
    return b >= a
      ? { fixedAt: wallIso(b), fixedIncidentId: (confirmed?.incident_id as string | null) ?? null, fix }
      : { fixedAt: wallIso(a), fixedIncidentId: fixedInc!.id as string, fix };
  }

  /** Per bucket, the latest fix point (capture ms), for trends. */
  fixPoints(): Map<string, number> {
    const out = new Map<string, number>();
    const put = (sig: unknown, ms: unknown) => {
      if (typeof sig !== 'string' || ms === null || ms === undefined) return;
      const n = Number(ms);
      if (n > (out.get(sig) ?? -Infinity)) out.set(sig, n);
    };
    for (const r of this.read(
      `SELECT signature, max(captured_ms) AS ms FROM incidents INDEXED BY incidents_fixed
       WHERE status = 'fixed' AND signature IS NOT NULL GROUP BY signature`,
    ).all() as Row[])
      put(r.signature, r.ms);
    for (const r of this.read(
      `SELECT bucket, max(incident_captured_ms) AS ms FROM confirmed_causes
       WHERE fixed = 1 AND bucket IS NOT NULL GROUP BY bucket`,
    ).all() as Row[])
      put(r.bucket, r.ms);
    return out;
  }

  private save(): void {
    const rows = this.sql('SELECT * FROM confirmed_causes ORDER BY id').all() as Row[];
    const data = rows.map((r) => ({
      incidentId: r.incident_id,
      bucket: r.bucket,
      culpritKey: r.culprit_key,
      cause: r.cause,
      fix: r.fix,
      fixed: Number(r.fixed) !== 0,
      confirmedAt: r.confirmed_at,
      incidentCapturedMs: r.incident_captured_ms,
      origin: r.origin,
      source: r.source,
    }));
    mkdirSync(dirname(this.sidecarPath), { recursive: true });
    const tmp = `${this.sidecarPath}.tmp-${process.pid}`;
    writeFileSync(
      tmp,
      JSON.stringify({ format: 'ctd-workbench-confirmed-causes', version: 1, causes: data }, null, 2),
    );
    renameSync(tmp, this.sidecarPath);
  }

  /** An empty table (new, rebuilt or recovered index) is filled from the sidecar. */
  private restore(): void {
    const n = Number((this.sql('SELECT count(*) AS n FROM confirmed_causes').get() as Row).n);
    if (n > 0) return;
    let list: unknown;
    try {
      list = (JSON.parse(readFileSync(this.sidecarPath, 'utf8')) as { causes?: unknown }).causes;
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const ok = list.flatMap((x): NewConfirmedCause[] => {
      const o = (x ?? {}) as Record<string, unknown>;
      const cause = str(o.cause);
      const bucket = str(o.bucket);
      const culpritKey = str(o.culpritKey);
      if (!cause || (!bucket && !culpritKey)) return [];
      const ms = typeof o.incidentCapturedMs === 'number' ? o.incidentCapturedMs : null;
      return [
        {
          incidentId: str(o.incidentId),
          bucket,
          culpritKey,
          cause,
          fix: str(o.fix) ?? '',
          fixed: o.fixed === true,
          confirmedAt: str(o.confirmedAt) ?? new Date().toISOString(),
          incidentCapturedMs: ms,
          origin: o.origin === 'imported' ? 'imported' : 'local',
          source: str(o.source),
        },
      ];
    });
    if (ok.length) this.db.transaction(() => ok.forEach((c) => this.insert(c)))();
  }
}
