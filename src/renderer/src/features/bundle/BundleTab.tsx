import { useEffect, useState } from 'react';
import type { BundleInfo } from '../../../../shared/contract/bundle';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { errorMessage, formatBytes, formatTime } from '../../lib/format';
import { TREATMENT_LABEL } from './treatment';
import './bundle.css';

export function isBundle(incident: IncidentDetail): boolean {
  return incident.source === 'bundle' && incident.artifacts.some((a) => a.role === 'bundle');
}

/** An imported bundle: where it came from, what it holds, and what its redaction replaced. */
export function BundleTab({ incident }: { incident: IncidentDetail }) {
  const [info, setInfo] = useState<BundleInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    invoke('bundle:info', { incidentId: incident.id })
      .then((r) => live && (r ? setInfo(r) : setError('bundle.json could not be read.')))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [incident.id]);

  if (error) return <div className="banner error pad">{error}</div>;
  if (!info) return <div className="pad muted">Reading bundle.json…</div>;
  const m = info.manifest;
  const r = m.redaction;
  const hitsOf = (name: string) => r?.files.find((f) => f.name === name)?.total;
  return (
    <div className="bundle-tab" data-testid="bundle-tab">
      <section className={`bundle-banner ${m.redacted ? 'redacted' : 'private'}`} data-testid="bundle-kind">
        <b>{m.redacted ? 'Redacted public bundle' : 'Private bundle (not redacted)'}</b>
        <span className="muted small">
          made {formatTime(m.created_at)} with CTD Workbench {m.app_version} · format v{m.format_version} ·
          every file matched its SHA-256 on import
        </span>
      </section>
      {[...m.warnings, ...info.extraFiles.map((f) => `Not listed in bundle.json: ${f}`)].map((w) => (
        <div key={w} className="banner info small">
          {w}
        </div>
      ))}

      <div className="bundle-grid">
        <section>
          <h2>Files</h2>
          <table className="data-table bundle-files" data-testid="bundle-files">
            <thead>
              <tr>
                <th>File</th>
                <th>Role</th>
                <th className="num">Size</th>
                <th>Treatment</th>
                {r && <th className="num">Replaced</th>}
              </tr>
            </thead>
            <tbody>
              {m.files.map((f) => (
                <tr key={f.name}>
                  <td>
                    <div className="mono ellipsis" title={`sha256 ${f.sha256}`}>
                      {f.name}
                    </div>
                  </td>
                  <td>{f.role}</td>
                  <td className="num mono nowrap">{formatBytes(f.size)}</td>
                  <td>
                    <span className={`pill treatment-${f.treatment}`}>{TREATMENT_LABEL[f.treatment]}</span>
                  </td>
                  {r && <td className="num">{hitsOf(f.name) ?? ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {m.excluded.length > 0 && (
            <>
              <h3>Left out by the sender</h3>
              <ul className="small">
                {m.excluded.map((e) => (
                  <li key={e.name}>
                    <span className="mono">{e.name}</span> <span className="muted">— {e.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section>
          <h2>Redaction report</h2>
          {r ? (
            <>
              <p data-testid="bundle-total-hits">
                <b>{r.totalHits.toLocaleString()}</b> values replaced ({r.ruleSets.join(', ')})
              </p>
              <table className="data-table bundle-rules" data-testid="bundle-rules">
                <thead>
                  <tr>
                    <th>Rule</th>
                    <th>What</th>
                    <th className="num">Replaced</th>
                  </tr>
                </thead>
                <tbody>
                  {r.rules.map((x) => (
                    <tr key={x.id}>
                      <td className="mono nowrap">{x.id}</td>
                      <td>{x.description}</td>
                      <td className="num">{x.hits}</td>
                    </tr>
                  ))}
                  {r.rules.length === 0 && (
                    <tr>
                      <td colSpan={3} className="muted">
                        Nothing needed replacing.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
              {r.pseudonyms.length > 0 && (
                <>
                  <h3>Stand-ins in these files</h3>
                  <ul className="stand-in-list">
                    {r.pseudonyms.map((p) => (
                      <li key={p.token}>
                        <span className="mono stand-in">{p.token}</span>{' '}
                        <span className="muted small">
                          {p.category}, learned from {p.learnedFrom}
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {r.notes.length > 0 && (
                <ul className="small muted">
                  {r.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p className="muted">The sender chose a private bundle: the files are exact copies.</p>
          )}
        </section>
      </div>
    </div>
  );
}
