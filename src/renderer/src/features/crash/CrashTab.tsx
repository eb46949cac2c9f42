import { useEffect, useState } from 'react';
import type { DumpAnalysis, DumpFrame, MemoryWindow } from '../../../../shared/domain/minidump';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { frameLabel, hexRows, TRUST_LABEL } from '../../../../shared/domain/minidump-format';
import './crash.css';

export function hasDump(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'dump');
}

function Stack({ frames }: { frames: DumpFrame[] }) {
  if (frames.length === 0) return <p className="crash-muted">No stack could be recovered.</p>;
  return (
    <table className="crash-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Frame</th>
          <th>IP</th>
          <th>Found by</th>
        </tr>
      </thead>
      <tbody>
        {frames.map((f) => (
          <tr key={f.index} className={`crash-trust-${f.trust}`}>
            <td>{f.index}</td>
            <td className="crash-mono">{frameLabel(f)}</td>
            <td className="crash-mono">{f.ip}</td>
            <td title={TRUST_LABEL[f.trust]}>{f.trust}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HexView({ artifactId, regions }: { artifactId: number; regions: DumpAnalysis['memory'] }) {
  const [address, setAddress] = useState(regions[0]?.start ?? '');
  const [win, setWin] = useState<MemoryWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (addr: string): void => {
    setAddress(addr);
    invoke('crash:memory', { artifactId, address: addr, length: 512 })
      .then((w) => {
        setWin(w);
        setError(w.bytes ? null : 'Not captured in this dump.');
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="crash-hex">
      <div className="crash-hex-bar">
        <select value={address} onChange={(e) => load(e.target.value)} aria-label="Memory region">
          {regions.slice(0, 2000).map((r) => (
            <option key={r.start} value={r.start}>
              {r.start} ({r.size} bytes)
            </option>
          ))}
        </select>
        <input
          className="crash-mono"
          value={address}
          aria-label="Address"
          onChange={(e) => setAddress(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && /^0x[0-9a-f]{1,16}$/i.test(address)) load(address);
          }}
        />
        <button type="button" onClick={() => load(address)} disabled={!/^0x[0-9a-f]{1,16}$/i.test(address)}>
          Show
        </button>
      </div>
      {error && <p className="crash-muted">{error}</p>}
      {win?.bytes && (
        <pre className="crash-mono crash-hex-dump">{hexRows(win.address, win.bytes).join('\n')}</pre>
      )}
    </div>
  );
}

/** Crash tab: verdict, exception, registers, stacks with frame trust, threads, modules, streams, memory. */
export function CrashTab({ incident }: { incident: IncidentDetail }) {
  const [state, setState] = useState<{
    id: string;
    artifactId: number | null;
    analysis: DumpAnalysis | null;
    error: string | null;
  } | null>(null);
  const [thread, setThread] = useState<{ id: string; index: number; frames: DumpFrame[] | null } | null>(
    null,
  );

  useEffect(() => {
    let live = true;
    invoke('crash:analyze', { incidentId: incident.id })
      .then((r) => {
        if (live)
          setState({
            id: incident.id,
            artifactId: r.artifactId,
            analysis: r.analysis,
            error: r.error ?? (r.analysis ? null : 'This incident has no minidump.'),
          });
      })
      .catch((e: unknown) => {
        if (live)
          setState({
            id: incident.id,
            artifactId: null,
            analysis: null,
            error: e instanceof Error ? e.message : String(e),
          });
      });
    return () => {
      live = false;
    };
  }, [incident.id]);

  const [stream, setStream] = useState<{ id: string; name: string; bytes: string } | null>(null);
  const showStream = (index: number, artifactId: number): void => {
    const id = incident.id;
    invoke('crash:stream', { artifactId, index, length: 4096 })
      .then((r) => setStream({ id, name: r.name, bytes: r.bytes }))
      .catch(() => setStream({ id, name: String(index), bytes: '' }));
  };

  const showThread = (index: number, artifactId: number): void => {
    const id = incident.id;
    setThread({ id, index, frames: null });
    invoke('crash:stack', { artifactId, threadIndex: index })
      .then((r) => setThread({ id, index, frames: r.frames }))
      .catch(() => setThread({ id, index, frames: [] }));
  };

  const current = state?.id === incident.id ? state : null;
  const shownThread = thread?.id === incident.id ? thread : null;
  const shownStream = stream?.id === incident.id ? stream : null;
  if (!current) return <div className="crash-tab crash-muted">Reading the dump…</div>;
  const a = current.analysis;
  if (!a || current.artifactId === null)
    return <div className="crash-tab crash-muted">{current.error ?? 'No analysis.'}</div>;
  const ex = a.exception;
  const artifactId = current.artifactId;
  return (
    <div className="crash-tab">
      <div className={ex ? 'crash-verdict' : 'crash-verdict crash-ok'}>{a.verdict}</div>
      <div className="crash-meta">
        <span>Bucket: {a.bucketTitle}</span>
        {a.system && (
          <span>
            {a.system.os} {a.system.osVersion} · {a.system.cpu} ({a.system.cpuInfo}, {a.system.cpuCount} CPU)
          </span>
        )}
      </div>
      {a.problems.length > 0 && (
        <section className="crash-problems">
          <h3>Damaged streams</h3>
          <ul>
            {a.problems.map((p, i) => (
              <li key={i} className="crash-mono">
                {p.stream} at offset 0x{p.offset.toString(16)}: {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {ex && (
        <section>
          <h3>Exception</h3>
          <dl className="crash-dl">
            <dt>Code</dt>
            <dd className="crash-mono">
              {ex.code} {ex.reason}
            </dd>
            <dt>Address</dt>
            <dd className="crash-mono">{ex.crashAddress}</dd>
            <dt>Where</dt>
            <dd className="crash-mono">
              {ex.faultingModule ? `${ex.faultingModule}+${ex.faultingOffset ?? ''}` : ex.location}
            </dd>
            <dt>Thread</dt>
            <dd>
              #{ex.threadIndex} id {ex.threadId}
              {ex.threadName ? ` "${ex.threadName}"` : ''}
            </dd>
            <dt>Parameters</dt>
            <dd className="crash-mono">{ex.parameters.join(' ') || '—'}</dd>
          </dl>
        </section>
      )}
      {a.culprits.length > 0 && (
        <section>
          <h3>Likely culprits</h3>
          <ol>
            {a.culprits.map((c) => (
              <li key={c.module}>
                <strong>{c.module}</strong> ({c.score}): {c.evidence.join('; ')}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section>
        <h3>Crashing thread stack</h3>
        <Stack frames={a.stack} />
      </section>
      <section>
        <h3>Registers</h3>
        <div className="crash-regs crash-mono">
          {Object.entries(a.registers).map(([k, v]) => (
            <span key={k}>
              {k} = {v}
            </span>
          ))}
        </div>
      </section>
      <section>
        <h3>Threads ({a.threads.length})</h3>
        <table className="crash-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Id</th>
              <th>Name</th>
              <th>IP</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {a.threads.map((t) => (
              <tr key={t.index} className={t.crashed ? 'crash-crashed' : undefined}>
                <td>{t.index}</td>
                <td>{t.id}</td>
                <td>{t.name ?? ''}</td>
                <td className="crash-mono">{t.ip ?? ''}</td>
                <td>
                  <button type="button" onClick={() => showThread(t.index, artifactId)}>
                    Stack
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shownThread && (
          <div>
            <h4>Thread #{shownThread.index}</h4>
            {shownThread.frames ? (
              <Stack frames={shownThread.frames} />
            ) : (
              <p className="crash-muted">Unwinding…</p>
            )}
          </div>
        )}
      </section>
      <section>
        <h3>Modules ({a.modules.length})</h3>
        <table className="crash-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Base</th>
              <th>Size</th>
              <th>Version</th>
              <th>PDB</th>
              <th>Debug id</th>
              <th>Kind</th>
            </tr>
          </thead>
          <tbody>
            {a.modules.map((m) => (
              <tr key={`${m.base}-${m.name}`} title={m.path}>
                <td>{m.name}</td>
                <td className="crash-mono">{m.base}</td>
                <td>{m.size}</td>
                <td>{m.version ?? ''}</td>
                <td>{m.pdbName ?? ''}</td>
                <td className="crash-mono">{m.debugId ?? ''}</td>
                <td>{m.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {a.unloadedModules.length > 0 && (
          <>
            <h4>Unloaded modules</h4>
            <ul>
              {a.unloadedModules.map((m) => (
                <li key={`${m.base}-${m.name}`} className="crash-mono">
                  {m.name} {m.base} ({m.size} bytes)
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section>
        <h3>Streams</h3>
        <table className="crash-table">
          <tbody>
            {a.streams.map((s, i) => (
              <tr key={i}>
                <td>{s.name}</td>
                <td className="crash-mono">0x{s.type.toString(16)}</td>
                <td className="crash-mono">@0x{s.offset.toString(16)}</td>
                <td>{s.size} bytes</td>
                <td>
                  <button type="button" disabled={s.size === 0} onClick={() => showStream(i, artifactId)}>
                    Bytes
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shownStream && (
          <pre className="crash-mono crash-hex-dump" aria-label={`Stream ${shownStream.name}`}>
            {shownStream.bytes ? hexRows('0x0', shownStream.bytes).join('\n') : 'No bytes (out of the file).'}
          </pre>
        )}
      </section>
      {Object.keys(a.annotations).length + a.comments.length > 0 && (
        <section>
          <h3>Annotations and comments</h3>
          <ul>
            {Object.entries(a.annotations).map(([k, v]) => (
              <li key={k} className="crash-mono">
                {k} = {v}
              </li>
            ))}
            {a.comments.map((c, i) => (
              <li key={`c${i}`}>{c}</li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3>Memory ({a.memory.length} regions)</h3>
        {a.memory.length > 0 ? (
          <HexView artifactId={artifactId} regions={a.memory} />
        ) : (
          <p className="crash-muted">Only thread stacks were captured; pick a thread stack address.</p>
        )}
      </section>
    </div>
  );
}
