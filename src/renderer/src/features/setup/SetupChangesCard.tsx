import { useEffect, useState } from 'react';
import type { LoadOrderDiff, SetupChange, SetupRef } from '../../../../shared/domain/setup';
import { invoke } from '../../api/client';
import { errorMessage, formatTime } from '../../lib/format';
import './setup.css';

const SHOWN = 12;
const REASON: Record<SetupRef['reason'], string> = {
  incident: 'this incident',
  explicit: 'the chosen incident',
  'good-session': 'a session without a crash',
  observed: 'the setup last seen in use without a crash',
  'previous-crash': 'the previous crash with a different setup (no session without a crash was recorded)',
};
const KIND: Record<SetupChange['kind'], string> = { plugin: 'plugin', mod: 'mod', dll: 'DLL' };

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h3>
        {title} ({items.length})
      </h3>
      <ul>
        {items.slice(0, SHOWN).map((x, i) => (
          <li key={i}>{x}</li>
        ))}
        {items.length > SHOWN && <li className="muted">and {items.length - SHOWN} more</li>}
      </ul>
    </div>
  );
}

const label = (c: SetupChange) => `${c.name}${c.version ? ` v${c.version}` : ''} (${KIND[c.kind]})`;

/** Overview: what changed in the mod setup since the last session without a crash (keyed by incident). */
export function SetupChangesCard({ incidentId }: { incidentId: string }) {
  const [diff, setDiff] = useState<LoadOrderDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    invoke('setup:changes', { incidentId })
      .then((d) => live && setDiff(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [incidentId]);

  const total = diff ? diff.added.length + diff.removed.length + diff.updated.length + diff.moved.length : 0;
  return (
    <section className="setup-changes" data-testid="setup-changes" aria-labelledby="setup-changes-title">
      <h2 id="setup-changes-title">Changed since the last session without a crash</h2>
      {error && <p className="muted">{error}</p>}
      {!diff && !error && <p className="muted">Loading…</p>}
      {diff && !diff.since && <p className="muted">{diff.notes[0] ?? 'Nothing to compare with.'}</p>}
      {diff?.since && (
        <>
          <p className="muted small">
            Compared with {REASON[diff.since.reason]}, {formatTime(diff.since.at)} (
            {diff.since.source === 'crashlog' ? 'its crash log' : 'the mod manager profile'},{' '}
            {diff.since.plugins} plugins{diff.since.mods ? `, ${diff.since.mods} mods` : ''}).
          </p>
          {total === 0 ? (
            <p data-testid="setup-no-changes">No plugin or mod changed.</p>
          ) : (
            <div className="change-groups">
              <List title="Added" items={diff.added.map((c) => `+ ${label(c)}`)} />
              <List title="Removed" items={diff.removed.map((c) => `− ${label(c)}`)} />
              <List
                title="Updated"
                items={diff.updated.map(
                  (u) => `${u.name} (${KIND[u.kind]}): ${u.from ?? '?'} → ${u.to ?? '?'}`,
                )}
              />
              <List
                title="Moved in the load order"
                items={diff.moved.map((m) => `${m.name}: ${m.from + 1} → ${m.to + 1}`)}
              />
            </div>
          )}
          {diff.notes.map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
