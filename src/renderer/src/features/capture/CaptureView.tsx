import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaptureProcess, CaptureResult } from '../../../../shared/contract/capture';
import type { ResponseOf } from '../../../../shared/contract/index';
import { getApi, invoke } from '../../api/client';
import { HotkeySetting } from '../preferences/HotkeySetting';
import { usePreferencesStore } from '../preferences/preferences-store';
import { progressFraction, type CaptureProgress } from './progress';
import './capture.css';

type DumpProfile = 'small' | 'default' | 'full';
const ETW_PROFILES = ['GeneralProfile', 'CPU', 'DiskIO', 'FileIO'];

/** Asks the app shell to open an incident (the shell listens for this event). */
export function requestOpenIncident(id: string): void {
  window.dispatchEvent(new CustomEvent('ctd:open-incident', { detail: { id } }));
}

function ProcessTable({
  processes,
  selected,
  onSelect,
}: {
  processes: CaptureProcess[];
  selected: number | null;
  onSelect: (pid: number) => void;
}) {
  return (
    <div className="capture-list">
      <table className="capture-procs">
        <thead>
          <tr>
            <th>Process</th>
            <th>PID</th>
            <th>Window</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((p) => (
            <tr
              key={p.pid}
              className={p.pid === selected ? 'capture-selected' : ''}
              onClick={() => onSelect(p.pid)}
              title={p.exePath}
              data-testid="capture-process"
            >
              <td>{p.isGame ? <strong>{p.name}</strong> : p.name}</td>
              <td>{p.pid}</td>
              <td>{p.windowTitle}</td>
              <td>{p.responding === null ? '' : p.responding ? 'responding' : 'not responding'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Capture view: pick a process, choose what to record, watch progress, open the new incident. */
export function CaptureView() {
  const [list, setList] = useState<ResponseOf<'capture:listProcesses'> | null>(null);
  const [etw, setEtw] = useState<ResponseOf<'capture:etwStatus'> | null>(null);
  const [filter, setFilter] = useState('');
  const [pid, setPid] = useState<number | null>(null);
  const [dumpProfile, setDumpProfile] = useState<DumpProfile>('default');
  const [withWct, setWithWct] = useState(true);
  const [etwSeconds, setEtwSeconds] = useState(0);
  const [etwProfile, setEtwProfile] = useState('GeneralProfile');
  const [customWprp, setCustomWprp] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<CaptureProgress | null>(null);
  const [result, setResult] = useState<CaptureResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    invoke('capture:listProcesses', {})
      .then(setList)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    invoke('capture:etwStatus', {})
      .then(setEtw)
      .catch(() => setEtw(null));
  }, []);

  useEffect(() => {
    refresh();
    void usePreferencesStore.getState().load();
    return getApi().on('capture:progress', setProgress);
  }, [refresh]);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = list?.processes ?? [];
    return q
      ? all.filter(
          (p) =>
            p.name.toLowerCase().includes(q) ||
            p.windowTitle.toLowerCase().includes(q) ||
            String(p.pid) === q,
        )
      : all;
  }, [list, filter]);

  const start = async (): Promise<void> => {
    if (pid === null) return;
    setRunning(true);
    setResult(null);
    setError(null);
    setProgress(null);
    try {
      const r = await invoke('capture:start', {
        pid,
        dumpProfile,
        withWct,
        etwSeconds,
        etwProfile: etwProfile === 'custom' ? customWprp : etwProfile,
        trigger: 'ui',
      });
      setResult(r);
      if (r.ok && r.incidentId) requestOpenIncident(r.incidentId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
      // A start that failed with "already running" shows up here as a stale session to cancel.
      refresh();
    }
  };

  const cancelStale = async (): Promise<void> => {
    const r = await invoke('capture:cancelStaleEtw', {});
    if (!r.ok) setError(r.message);
    refresh();
  };

  if (!list) return <div className="capture-view">Looking for processes…</div>;
  if (!list.supported)
    return (
      <div className="capture-view" data-testid="capture-view">
        <h1>Capture</h1>
        <div className="capture-notice" data-testid="capture-unsupported">
          {list.reason ?? 'Capture needs Windows.'} You can still open and analyse dumps, logs and WCT files
          captured elsewhere.
        </div>
        <HotkeySetting />
      </div>
    );

  return (
    <div className="capture-view" data-testid="capture-view">
      <h1>Capture</h1>
      {etw?.staleSession && (
        <div className="capture-notice capture-warn">
          An ETW trace session from an earlier run is still recording.{' '}
          <button type="button" onClick={() => void cancelStale()}>
            Cancel it
          </button>
        </div>
      )}
      <div className="capture-options">
        <input
          type="search"
          placeholder="Filter processes"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter processes"
        />
        <button type="button" onClick={refresh} disabled={running}>
          Refresh
        </button>
      </div>
      <ProcessTable processes={shown} selected={pid} onSelect={setPid} />
      <div className="capture-options">
        <label>
          Dump{' '}
          <select value={dumpProfile} onChange={(e) => setDumpProfile(e.target.value as DumpProfile)}>
            <option value="small">small (threads only)</option>
            <option value="default">default (threads, handles, unloaded modules, code)</option>
            <option value="full">full memory (large)</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={withWct} onChange={(e) => setWithWct(e.target.checked)} /> wait
          chains (WCT)
        </label>
        <label title={etw?.available === false ? (etw.reason ?? '') : ''}>
          ETW{' '}
          <select
            value={etwSeconds}
            onChange={(e) => setEtwSeconds(Number(e.target.value))}
            disabled={etw?.available === false}
          >
            <option value={0}>off</option>
            {[3, 5, 8, 10, 15, 20, 30].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </label>
        {etwSeconds > 0 && (
          <label>
            profile{' '}
            <select value={etwProfile} onChange={(e) => setEtwProfile(e.target.value)}>
              {ETW_PROFILES.map((p) => (
                <option key={p}>{p}</option>
              ))}
              <option value="custom">custom .wprp…</option>
            </select>
          </label>
        )}
        {etwSeconds > 0 && etwProfile === 'custom' && (
          <input
            placeholder="C:\\path\\to\\profile.wprp"
            value={customWprp}
            onChange={(e) => setCustomWprp(e.target.value)}
            aria-label="Custom WPR profile path"
          />
        )}
      </div>
      {etw?.available === false && <div className="capture-notice">ETW: {etw.reason}</div>}
      <div className="capture-actions">
        <button
          type="button"
          onClick={() => void start()}
          disabled={running || pid === null}
          data-testid="capture-start"
        >
          Capture {pid !== null ? `process ${pid}` : ''}
        </button>
        {running && (
          <button type="button" onClick={() => void invoke('capture:cancel', {})}>
            Cancel
          </button>
        )}
      </div>
      {running && (
        <div>
          <progress className="capture-progress" value={progressFraction(progress)} max={1} />
          <div>
            {progress?.message ?? 'Starting…'}
            {progress?.phase === 'etw' && progress.etwRemainingSec !== null
              ? ` (${progress.etwRemainingSec} s)`
              : ''}
          </div>
        </div>
      )}
      {error && <div className="capture-notice capture-error">{error}</div>}
      {result && (
        <div
          className={`capture-notice ${result.ok ? (result.partial ? 'capture-warn' : 'capture-ok') : 'capture-error'}`}
          data-testid="capture-result"
        >
          <div>{result.message}</div>
          {result.incidentId && (
            <button type="button" onClick={() => requestOpenIncident(result.incidentId ?? '')}>
              Open incident
            </button>
          )}
        </div>
      )}
      <HotkeySetting />
    </div>
  );
}
