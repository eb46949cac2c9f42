import { useEffect, useState } from 'react';
import type { SetupInstanceSummary } from '../../../../shared/domain/setup';
import { invoke } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { errorMessage } from '../../lib/format';
import { useSetupStore } from './setup-store';
import './setup.css';

const MANAGER_LABEL = { mo2: 'Mod Organizer 2', vortex: 'Vortex' } as const;

/** Folders view section: the mod setups in use, their profiles, and ones found in the usual places. */
export function SetupInstances() {
  const instances = useSetupStore((s) => s.instances);
  const busy = useSetupStore((s) => s.busy);
  const error = useSetupStore((s) => s.error);
  const { load, add, clearError } = useSetupStore.getState();
  const electron = useAppStore((s) => s.info?.transport === 'electron');
  const [path, setPath] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  const chosen = instances.filter((i) => i.origin === 'chosen');
  const suggested = instances.filter((i) => i.origin === 'suggested');
  const adopt = async (p: string) => {
    if (await add(p)) {
      setPath('');
      useAppStore.getState().notify(`Using the mod setup in ${p}`);
    }
  };
  const browse = async () => {
    try {
      const picked = await invoke('dialog:openFolder', {});
      if (picked) await adopt(picked);
    } catch (e) {
      useAppStore.getState().notify(errorMessage(e), 'error');
    }
  };

  return (
    <section
      className="setup-instances"
      data-testid="setup-instances"
      aria-labelledby="setup-instances-title"
    >
      <h2 id="setup-instances-title">Mod setups</h2>
      <p className="muted">
        Mod Organizer 2 instances and Vortex deployments, read only. They name the mod behind each DLL and
        plugin in a crash, record what was installed at each crash, and let the bisect build test profiles.
      </p>
      <form
        className="setup-add"
        onSubmit={(e) => {
          e.preventDefault();
          void adopt(path);
        }}
      >
        <label htmlFor="setup-path" className="visually-hidden">
          Mod manager folder
        </label>
        <input
          id="setup-path"
          className="wide mono"
          placeholder="C:\Modding\MO2 (has ModOrganizer.ini), or a Vortex staging, game or Data folder"
          value={path}
          data-testid="setup-path"
          onChange={(e) => {
            setPath(e.target.value);
            if (error) clearError();
          }}
        />
        <button type="submit" className="primary" disabled={busy} data-testid="setup-use">
          {busy ? 'Reading…' : 'Use'}
        </button>
        {electron && (
          <button type="button" disabled={busy} onClick={() => void browse()}>
            Browse…
          </button>
        )}
      </form>
      {error && (
        <div className="banner error" role="alert" data-testid="setup-error">
          {error}
        </div>
      )}
      {chosen.length === 0 ? (
        <p className="muted">No mod setup in use yet.</p>
      ) : (
        chosen.map((i) => <InstanceCard key={i.instance} inst={i} />)
      )}
      {suggested.length > 0 && (
        <>
          <h3>Found on this machine</h3>
          <ul className="folder-list" data-testid="setup-suggestions">
            {suggested.map((s) => (
              <li key={s.instance}>
                <span className="folder-label">{s.name}</span>
                <span className="mono ellipsis muted" title={s.instance}>
                  {s.instance}
                </span>
                <button type="button" disabled={busy} onClick={() => void adopt(s.instance)}>
                  Use
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function InstanceCard({ inst }: { inst: SetupInstanceSummary }) {
  const remove = useSetupStore((s) => s.remove);
  const pick = useSetupStore((s) => s.pickBisectProfile);
  const setView = useAppStore((s) => s.setView);
  return (
    <div className="setup-card" data-testid="setup-instance">
      <div className="setup-card-head">
        <span className="setup-manager">{MANAGER_LABEL[inst.manager]}</span>
        <strong>{inst.name}</strong>
        {inst.game && <span className="muted">· {inst.game}</span>}
        <span className="mono small muted ellipsis" title={inst.instance}>
          {inst.instance}
        </span>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => void remove(inst.instance)}
          title="Stop using it; nothing on disk changes"
        >
          Remove
        </button>
      </div>
      {!inst.exists ? (
        <p className="banner error">{inst.problems[0]?.message ?? 'Cannot read this folder.'}</p>
      ) : (
        <table className="data-table setup-profiles">
          <thead>
            <tr>
              <th>Profile</th>
              <th className="num">Mods on</th>
              <th className="num">Plugins active</th>
              <th className="num">Problems</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {inst.profiles.map((p) => (
              <tr key={p.path} data-testid="setup-profile">
                <td>
                  {p.name}
                  {p.name === inst.selectedProfile && <span className="setup-tag">selected</span>}
                  {p.bisect && <span className="setup-tag warn">bisect test</span>}
                </td>
                <td className="num mono">
                  {p.enabledMods} / {p.mods}
                </td>
                <td className="num mono">
                  {p.enabledPlugins} / {p.plugins}
                </td>
                <td className="num mono">{p.problems || ''}</td>
                <td>
                  {inst.manager === 'mo2' && !p.bisect && (
                    <button
                      type="button"
                      className="small-button"
                      onClick={() => {
                        pick(p.path);
                        setView('bisect');
                      }}
                    >
                      Bisect…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {inst.exists && inst.problems.length > 0 && (
        <details className="setup-problems">
          <summary>
            {inst.problems.length} problem{inst.problems.length === 1 ? '' : 's'} reading this setup (the rest
            is used)
          </summary>
          <ul>
            {inst.problems.map((p, k) => (
              <li key={k}>
                <span className="mono">{p.path}</span>: {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
