import type { GameFamily } from '../../shared/domain/game';
import type { IncidentKind } from '../../shared/domain/incident';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../shared/domain/local-time';
import type { SqliteIncidentStore } from '../store/sqlite-store';

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
    private readonly store: Pick<SqliteIncidentStore, 'lastIncidentRowid' | 'newOwnIncidents'>,
    private readonly now: () => number = Date.now,
  ) {
    this.last = store.lastIncidentRowid();
  }

  check(): NewIncidents | null {
    const since = sortKeyOfLocalIso(localIsoFromMs(this.now())) - RECENT_MS;
    const rows = this.store.newOwnIncidents(this.last, since);
    this.last = this.store.lastIncidentRowid();
    if (rows.length === 0) return null;
    return { items: rows.slice(0, SHOWN), total: rows.length };
  }
}
