import { Fragment, useEffect, useState } from 'react';
import type { ModTrend, ModTrends } from '../../../../shared/domain/setup';
import { invoke } from '../../api/client';
import { errorMessage, formatTime } from '../../lib/format';
import { Spark } from '../trends/BucketTable';
import './setup.css';

function openIncident(id: string): void {
  window.dispatchEvent(new CustomEvent('ctd:open-incident', { detail: { id } }));
}

/** Trends: crashes per mod, per version, the mods that got worse after an update; drill down to incidents. */
export function ModTrendsSection({ days }: { days: number }) {
  const [data, setData] = useState<ModTrends | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    invoke('setup:modTrends', { days })
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [days]);

  return (
    <section className="card" data-testid="mod-trends" aria-labelledby="mod-trends-title">
      <h2 id="mod-trends-title">Mods in crashes and hangs</h2>
      {error && <p className="muted">{error}</p>}
      {data && data.mods.length === 0 && (
        <p className="muted">
          No crash in this range names a mod yet. Add your Mod Organizer 2 or Vortex setup under Folders → Mod
          setups.
        </p>
      )}
      {data && data.rising.length > 0 && (
        <p className="banner error" data-testid="mod-rising">
          Crashing more since an update: {data.rising.join(', ')}
        </p>
      )}
      {data && data.mods.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Mod</th>
              <th className="num">Incidents</th>
              <th className="num">Faulting</th>
              <th>Trend</th>
              <th>Version</th>
              <th>Crashes by version</th>
            </tr>
          </thead>
          <tbody>
            {data.mods.map((m, i) => (
              <Fragment key={m.mod}>
                <tr data-testid="mod-row">
                  <td>
                    <button
                      type="button"
                      className="mod-toggle"
                      aria-expanded={open === m.mod}
                      aria-controls={`mod-drill-${i}`}
                      title="Show its incidents"
                      onClick={() => setOpen(open === m.mod ? null : m.mod)}
                    >
                      {m.mod}
                    </button>
                    {m.rose && <span className="mod-rising"> ▲ since {m.rose.to ?? 'the update'}</span>}
                  </td>
                  <td className="num mono">{m.incidents}</td>
                  <td className="num mono">{m.faulting}</td>
                  <td>
                    <Spark values={m.spark} kind="crash" />
                  </td>
                  <td className="mono small">{m.latestVersion ?? ''}</td>
                  <td className="small">{versions(m)}</td>
                </tr>
                {open === m.mod && (
                  <tr id={`mod-drill-${i}`}>
                    <td colSpan={6}>
                      <ul className="mod-drill" data-testid="mod-drill">
                        {m.recent.map((r) => (
                          <li key={r.id}>
                            <button type="button" onClick={() => openIncident(r.id)}>
                              <span className="mono small">{formatTime(r.capturedAt)}</span> {r.title}
                            </button>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function versions(m: ModTrend): string {
  return m.versions
    .slice(-3)
    .map((v) => `${v.version ?? '?'}: ${v.crashes} in ${Math.round(v.days)} d`)
    .join(' · ');
}
