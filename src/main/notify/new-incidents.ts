import type Database from 'better-sqlite3';
import type { GameFamily } from '../../shared/domain/game';
import type { IncidentKind } from '../../shared/domain/incident';
import { localIsoFromMs, sortKeyOfLocalIso } from '../sources/local-time';

export interface NewIncidents {
  items: { id: string; kind: IncidentKind; title: string; game: GameFamily | null }[];
  total: number;
}

/** How recent a newly indexed crash must be to be news: a folder of old crashes added today is not. */
const RECENT_MS = 3 * 3_600_000;
const SHOWN = 5;

/**
 * Finds crashes and hangs indexed since the last look: rows the incidents table gained (its
 * rowid only grows for inserts; a rescan updates rows in place), captured in the last hours,
 * the player's own (not an imported bundle). Cheap: one range read on the rowid.
 */
export class NewIncidentWatch {
  private last: number;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.last = this.maxRowid();
  }

  private maxRowid(): number {
    return Number(
      (this.db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM incidents').get() as { m: number }).m,
    );
  }

  check(): NewIncidents | null {
    const since = sortKeyOfLocalIso(localIsoFromMs(this.now())) - RECENT_MS;
    const rows = this.db
      .prepare(
        `SELECT rowid AS r, id, kind, title, game FROM incidents
         WHERE rowid > @last AND kind IN ('crash', 'hang') AND source <> 'bundle' AND captured_ms >= @since
         ORDER BY captured_ms DESC`,
      )
      .all({ last: this.last, since }) as {
      r: number;
      id: string;
      kind: IncidentKind;
      title: string;
      game: GameFamily | null;
    }[];
    this.last = this.maxRowid();
    if (rows.length === 0) return null;
    return {
      items: rows
        .slice(0, SHOWN)
        .map(({ id, kind, title, game }) => ({ id, kind, title, game: game ?? null })),
      total: rows.length,
    };
  }
}
