import { useCallback, useEffect, useRef, useState } from 'react';
import { IncidentStatus, type IncidentDetail } from '../../../../shared/domain/incident';
import { formatHex, formatTime } from '../../lib/format';
import { SOURCE_LABEL } from './badges';
import { useDetailStore } from './detail-store';
import { FindingsList } from './FindingsList';
import { ProbableCauseCard } from './ProbableCause';
import { describeModFile } from '../../../../shared/domain/setup';
import { SetupChangesCard } from '../setup/SetupChangesCard';
import { LearnedCauses } from '../causes/LearnedCauses';

/** Verdict, suspects, key facts, triage status and notes. */
export function OverviewTab({ incident }: { incident: IncidentDetail }) {
  const v = incident.verdict;
  const setStatus = useDetailStore((s) => s.setStatus);
  const broken = incident.artifacts.filter((a) => a.parseStatus === 'error');
  const facts: [string, string | null][] = [
    ['Captured', formatTime(incident.capturedAt)],
    ['Kind', incident.kind],
    ['Source', SOURCE_LABEL[incident.source] ?? incident.source],
    ['Game', v?.game ?? null],
    ['Exception', v?.exceptionName ?? (v?.exceptionCode != null ? formatHex(v.exceptionCode) : null)],
    [
      'Faulting module',
      v?.faultingModule
        ? `${v.faultingModule}${v.faultingOffset != null ? `+0x${v.faultingOffset.toString(16)}` : ''}`
        : null,
    ],
    ['Signature', incident.signature],
    ['Analyzer', v?.analyzer ?? null],
    ['Files', `${incident.artifactCount}`],
    ['Folder', incident.folder],
  ];

  return (
    <div className="overview" data-testid="overview">
      <LearnedCauses incident={incident} />
      {v?.probableCause && (
        <ProbableCauseCard cause={v.probableCause} kind={incident.kind} missing={v.missing} />
      )}
      <section className={`verdict-card kind-${incident.kind}${v?.probableCause ? ' secondary' : ''}`}>
        <div className="verdict-title" data-testid="verdict">
          {v?.title || incident.title || 'No verdict yet: none of the files could be analysed.'}
        </div>
        {!v && <div className="muted">The analyzers have not produced a verdict for this incident.</div>}
      </section>

      {broken.length > 0 && (
        <div className="banner error" data-testid="parse-errors">
          {broken.length === 1 ? 'One file' : `${broken.length} files`} could not be read:
          <ul>
            {broken.map((a) => (
              <li key={a.id}>
                <span className="mono">{a.name}</span>: {a.parseError ?? 'parse error'}
              </li>
            ))}
          </ul>
        </div>
      )}

      {v && (
        <section className="overview-findings" data-testid="overview-findings">
          <h2>Known issues{v.findings.length > 0 ? ` (${v.findings.length})` : ''}</h2>
          <FindingsList findings={v.findings} />
        </section>
      )}

      <div className="overview-grid">
        <section>
          <h2>Suspects</h2>
          {v && v.suspects.length > 0 ? (
            <table className="data-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Module / plugin</th>
                  <th>Role</th>
                  <th>Score</th>
                  <th>Evidence</th>
                </tr>
              </thead>
              <tbody>
                {v.suspects.slice(0, 10).map((s, i) => (
                  <tr key={`${s.name}-${i}`}>
                    <td className="num">{i + 1}</td>
                    <td>
                      <span className="mono">{s.name}</span>
                      {s.version && <span className="muted small"> v{s.version}</span>}
                      {s.mod && <div className="muted small">{describeModFile(s.name, s.mod)}</div>}
                    </td>
                    <td className="small">{s.role ?? ''}</td>
                    <td className="num">{Number.isInteger(s.score) ? s.score : s.score.toFixed(2)}</td>
                    <td>{s.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No suspect modules or plugins.</p>
          )}
        </section>
        <section>
          <h2>Key facts</h2>
          <dl className="facts">
            {facts
              .filter(([, value]) => value)
              .map(([k, value]) => (
                <div key={k} className="fact">
                  <dt>{k}</dt>
                  <dd className={k === 'Folder' || k === 'Signature' ? 'mono' : ''}>{value}</dd>
                </div>
              ))}
          </dl>
        </section>
      </div>

      <SetupChangesCard key={incident.id} incidentId={incident.id} />

      <section className="triage">
        <h2>Triage</h2>
        <div className="segmented" role="radiogroup" aria-label="Status" data-testid="status-setter">
          {IncidentStatus.options.map((s) => (
            <button
              key={s}
              type="button"
              role="radio"
              aria-checked={incident.status === s}
              className={incident.status === s ? `active status-${s}` : ''}
              onClick={() => void setStatus(s)}
            >
              {s}
            </button>
          ))}
        </div>
        <Notes key={incident.id} incidentId={incident.id} initial={incident.notes} />
      </section>
    </div>
  );
}

function Notes({ incidentId, initial }: { incidentId: string; initial: string }) {
  const saveNotes = useDetailStore((s) => s.saveNotes);
  const [text, setText] = useState(initial);
  const [state, setState] = useState<'saved' | 'dirty' | 'saving' | 'failed'>('saved');
  const pending = useRef<string | null>(null);

  const flush = useCallback(() => {
    const value = pending.current;
    if (value === null) return;
    pending.current = null;
    setState('saving');
    void saveNotes(incidentId, value).then((ok) => setState(ok ? 'saved' : 'failed'));
  }, [incidentId, saveNotes]);

  useEffect(() => {
    if (state !== 'dirty') return;
    const t = setTimeout(flush, 800);
    return () => clearTimeout(t);
  }, [text, state, flush]);

  // Leaving the tab or the incident must not drop what was typed.
  useEffect(() => flush, [flush]);

  return (
    <div className="notes">
      <label htmlFor="notes">
        Notes{' '}
        <span className="muted small" data-testid="notes-state">
          {state === 'saving' ? 'saving…' : state === 'failed' ? 'not saved' : ''}
        </span>
      </label>
      <textarea
        id="notes"
        rows={4}
        placeholder="What you tried, which mod you suspect, links…"
        value={text}
        data-testid="notes"
        onBlur={flush}
        onChange={(e) => {
          pending.current = e.target.value;
          setText(e.target.value);
          setState('dirty');
        }}
      />
    </div>
  );
}
