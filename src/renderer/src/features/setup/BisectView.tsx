import { useEffect, useMemo, useState } from 'react';
import type { BisectStatus } from '../../../../shared/domain/setup';
import { getApi } from '../../api/client';
import { formatTime } from '../../lib/format';
import { useSetupStore } from './setup-store';
import './setup.css';

/** The guided bisect: start it from an MO2 profile, answer each round, clean up. */
export function BisectView() {
  const status = useSetupStore((s) => s.bisect);
  const error = useSetupStore((s) => s.bisectError);
  const { loadBisect, load } = useSetupStore.getState();

  useEffect(() => {
    void loadBisect();
    void load();
    // A new crash answers the round by itself: refresh when incidents change.
    const off = getApi().on('incidents:changed', () => void useSetupStore.getState().loadBisect());
    return off;
  }, [loadBisect, load]);

  return (
    <div className="view-page bisect-view" data-testid="bisect-view">
      <header className="page-head">
        <h1>Bisect</h1>
        <span className="muted small">
          Find the one mod or plugin that makes the game crash, in a few test runs
        </span>
      </header>
      {error && (
        <div className="banner error" role="alert" data-testid="bisect-error">
          {error}
        </div>
      )}
      {status?.active ? <Running status={status} /> : <StartForm />}
    </div>
  );
}

function StartForm() {
  const instances = useSetupStore((s) => s.instances);
  const picked = useSetupStore((s) => s.bisectProfile);
  const busy = useSetupStore((s) => s.bisectBusy);
  const start = useSetupStore((s) => s.startBisect);
  const profiles = useMemo(
    () =>
      instances
        .filter((i) => i.origin === 'chosen' && i.manager === 'mo2')
        .flatMap((i) => i.profiles.filter((p) => !p.bisect).map((p) => ({ ...p, instance: i.name }))),
    [instances],
  );
  const [profile, setProfile] = useState<string>('');
  const [pins, setPins] = useState('');
  const [granularity, setGranularity] = useState<'plugins' | 'mods'>('plugins');
  const chosen = profile || picked || profiles[0]?.path || '';

  return (
    <section className="card" aria-labelledby="bisect-start-title">
      <h2 id="bisect-start-title">Start a bisect</h2>
      <p className="muted">
        Each round writes a new profile beside yours (&quot;&lt;profile&gt; - bisect &lt;n&gt;&quot;) with
        half of the remaining suspects switched on, always with the masters they need. Your profile is never
        changed. Pick the test profile in Mod Organizer, play until the crash would happen, and answer here.
        Recently changed mods and ones named in past crashes are tested first.
      </p>
      {profiles.length === 0 ? (
        <p className="banner info">Add a Mod Organizer 2 instance under Folders → Mod setups first.</p>
      ) : (
        <form
          className="bisect-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start({
              profileDir: chosen,
              pins: pins
                .split(/\r?\n/)
                .map((x) => x.trim())
                .filter(Boolean),
              granularity,
            });
          }}
        >
          <label htmlFor="bisect-profile">Profile</label>
          <select
            id="bisect-profile"
            value={chosen}
            data-testid="bisect-profile"
            onChange={(e) => setProfile(e.target.value)}
          >
            {profiles.map((p) => (
              <option key={p.path} value={p.path}>
                {p.instance} · {p.name} ({p.enabledPlugins} plugins, {p.enabledMods} mods)
              </option>
            ))}
          </select>
          <span id="bisect-by-label">Test by</span>
          <div className="segmented" role="radiogroup" aria-labelledby="bisect-by-label">
            {(['plugins', 'mods'] as const).map((g) => (
              <button
                key={g}
                type="button"
                role="radio"
                aria-checked={granularity === g}
                className={granularity === g ? 'active' : ''}
                onClick={() => setGranularity(g)}
              >
                {g === 'plugins' ? 'Plugins' : 'Whole mods (DLLs too)'}
              </button>
            ))}
          </div>
          <label htmlFor="bisect-pins">Always keep</label>
          <textarea
            id="bisect-pins"
            className="mono"
            placeholder={'One plugin or mod per line, e.g.\nSkyUI_SE.esp\nAddress Library for SKSE Plugins'}
            value={pins}
            onChange={(e) => setPins(e.target.value)}
          />
          <span />
          <div>
            <button type="submit" className="primary" disabled={busy || !chosen} data-testid="bisect-start">
              {busy ? 'Writing the first test profile…' : 'Start bisect'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Running({ status }: { status: BisectStatus }) {
  const busy = useSetupStore((s) => s.bisectBusy);
  const answer = useSetupStore((s) => s.answer);
  const reset = useSetupStore((s) => s.resetBisect);
  const cur = status.rounds.at(-1);
  const waiting = !status.done && cur && !cur.answer;
  const answered = status.rounds.filter((r) => r.answer).length;
  const left = status.remaining.length;
  const done = status.total > 0 ? Math.round(((status.total - left) / status.total) * 100) : 0;
  return (
    <>
      <section className="card" data-testid="bisect-status" aria-labelledby="bisect-now-title">
        <h2 id="bisect-now-title">{status.done ? 'Result' : `Round ${cur?.n ?? 1}`}</h2>
        {status.done && status.culprit && (
          <p className="bisect-culprit" data-testid="bisect-culprit">
            {status.culprit}
            {status.culpritMod ? ` — from the mod ${status.culpritMod}` : ''}
          </p>
        )}
        <p data-testid="bisect-message">{status.message}</p>
        <div
          className="bisect-progress"
          role="progressbar"
          aria-label="Suspects ruled out"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={done}
        >
          <span style={{ width: `${done}%` }} />
        </div>
        <p className="muted small">
          {left} of {status.total} suspects left · {answered} answered · at most {status.maxRounds} rounds ·{' '}
          {status.granularity === 'mods' ? 'by mod' : 'by plugin'}
          {status.pins.length ? ` · kept on: ${status.pins.join(', ')}` : ''}
        </p>
        {waiting && cur && (
          <>
            <p>
              Test profile: <strong>{cur.profileName}</strong>{' '}
              <span className="mono small muted">{cur.profileDir}</span>
            </p>
            <details>
              <summary>
                {cur.testing.length} suspect{cur.testing.length === 1 ? '' : 's'} on in this round
                {cur.addedMasters.length ? ` (${cur.addedMasters.length} only as masters)` : ''}
              </summary>
              <ul className="chip-list">
                {cur.testing.map((t) => (
                  <li key={t}>{t}</li>
                ))}
              </ul>
            </details>
            <div className="bisect-answer">
              <button
                type="button"
                className="good"
                disabled={busy}
                data-testid="bisect-good"
                onClick={() => void answer('good')}
              >
                Good: no crash
              </button>
              <button
                type="button"
                className="bad"
                disabled={busy}
                data-testid="bisect-bad"
                onClick={() => void answer('bad')}
              >
                Bad: it crashed
              </button>
            </div>
          </>
        )}
        <div className="bisect-answer">
          <button
            type="button"
            disabled={busy}
            data-testid="bisect-reset"
            title="Removes only the test profiles this bisect created"
            onClick={() => {
              if (window.confirm(`Stop the bisect and remove its ${status.created.length} test profile(s)?`))
                void reset(false);
            }}
          >
            {status.done ? 'Remove the test profiles' : 'Stop and remove the test profiles'}
          </button>
        </div>
      </section>
      {status.rounds.length > 0 && (
        <section className="card" aria-labelledby="bisect-rounds-title">
          <h2 id="bisect-rounds-title">Rounds</h2>
          <table className="data-table" data-testid="bisect-rounds">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Test profile</th>
                <th className="num">Suspects on</th>
                <th>Answer</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {status.rounds.map((r) => (
                <tr key={r.n}>
                  <td className="num">{r.n}</td>
                  <td>{r.profileName}</td>
                  <td className="num mono">{r.testing.length}</td>
                  <td>
                    {r.answer === null
                      ? 'waiting'
                      : `${r.answer}${r.answeredBy === 'crash' ? ' (a new crash)' : ''}`}
                  </td>
                  <td className="mono small">{formatTime(r.answeredAt ?? r.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!status.done && left > 0 && (
        <section className="card" aria-labelledby="bisect-left-title">
          <h2 id="bisect-left-title">Still suspected</h2>
          <ul className="chip-list">
            {status.remaining.slice(0, 80).map((x) => (
              <li key={x}>{x}</li>
            ))}
            {left > 80 && <li>and {left - 80} more</li>}
          </ul>
        </section>
      )}
      {status.problems.length > 0 && (
        <details className="card">
          <summary>
            {status.problems.length} problem(s) reading the profile (the bisect runs without them)
          </summary>
          <ul>
            {status.problems.slice(0, 100).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
