import { useEffect, useMemo, useState } from 'react';
import { takeFocus } from '../incident/focus-store';
import type { ChainStep, HangAnalysis, HangThread } from '../../../../shared/domain/hang';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { formatWait, stepLabel, visibleThreads } from './format';
import './hang.css';

const PAGE = 300;

function threadRowId(tid: number): string {
  return `hang-thread-${tid}`;
}

function ThreadRef({
  tid,
  known,
  label,
  onJump,
}: {
  tid: number;
  known: boolean;
  label: string;
  onJump: (tid: number) => void;
}) {
  if (!known) return <span className="hang-thread-plain">{label}</span>;
  return (
    <button
      type="button"
      className="hang-thread-link"
      onClick={() => onJump(tid)}
      title={`Go to thread ${tid}`}
    >
      {label}
    </button>
  );
}

function Chain({ steps, onJump }: { steps: ChainStep[]; onJump: (tid: number) => void }) {
  if (steps.length === 0) return <span className="hang-thread-plain">not waiting</span>;
  return (
    <span className="hang-chain">
      {steps.map((s, i) => (
        <span key={i} className="hang-chain">
          <span className="hang-arrow">→</span>
          {s.kind === 'object' ? (
            <span className="hang-object" title={s.statusName}>
              {stepLabel(s)}
            </span>
          ) : (
            <>
              <ThreadRef
                tid={s.tid}
                known={s.known && !s.foreignProcess}
                label={stepLabel(s)}
                onJump={onJump}
              />
              {s.waitMs !== null && <span className="hang-thread-plain">({formatWait(s.waitMs)})</span>}
            </>
          )}
        </span>
      ))}
    </span>
  );
}

function ThreadRow({
  t,
  focused,
  onJump,
}: {
  t: HangThread;
  focused: boolean;
  onJump: (tid: number) => void;
}) {
  const cls = [t.inCycle ? 'hang-in-cycle' : '', focused ? 'hang-focus' : ''].join(' ').trim();
  return (
    <tr id={threadRowId(t.tid)} className={cls} data-testid="hang-thread">
      <td>
        <strong>{t.tid}</strong>
        <div>
          {t.isMain && <span className="hang-badge hang-badge-main">main</span>}
          {t.inCycle && <span className="hang-badge hang-badge-cycle">deadlock</span>}
          {t.blocked && !t.inCycle && <span className="hang-badge">blocked</span>}
        </div>
      </td>
      <td>{formatWait(t.waitMs)}</td>
      <td>
        {t.error !== null ? (
          <span className="hang-thread-plain">wait chain unavailable (Win32 error {t.error})</span>
        ) : (
          <Chain steps={t.chain} onJump={onJump} />
        )}
      </td>
    </tr>
  );
}

/** Hang tab: the verdict, deadlock cycles, then every thread's wait chain (main thread first). */
export function HangTab({ incident }: { incident: IncidentDetail }) {
  const [loaded, setLoaded] = useState<{
    id: string;
    analysis: HangAnalysis | null;
    error: string | null;
  } | null>(null);
  const [blockedOnly, setBlockedOnly] = useState(false);
  const [query, setQuery] = useState('');
  // Opened from the Timeline: that thread.
  const [focus, setFocus] = useState<number | null>(() => takeFocus('hang')?.tid ?? null);
  const [limit, setLimit] = useState(PAGE);

  useEffect(() => {
    let live = true;
    invoke('hang:analysis', { incidentId: incident.id })
      .then((r) => {
        if (live)
          setLoaded({
            id: incident.id,
            analysis: r.analysis,
            error: r.error ?? (r.analysis ? null : 'This incident has no wait-chain (WCT) file.'),
          });
      })
      .catch((e: unknown) => {
        if (live)
          setLoaded({ id: incident.id, analysis: null, error: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
    };
  }, [incident.id]);

  const current = loaded?.id === incident.id ? loaded : null;
  const analysis = current?.analysis ?? null;

  const shown = useMemo(
    () => (analysis ? visibleThreads(analysis.threads, blockedOnly, query) : []),
    [analysis, blockedOnly, query],
  );

  const jump = (tid: number): void => {
    if (!analysis) return;
    const index = shown.findIndex((t) => t.tid === tid);
    if (index < 0) {
      // The target is filtered out: clear filters so the link always lands.
      setBlockedOnly(false);
      setQuery('');
      const all = analysis.threads.findIndex((t) => t.tid === tid);
      if (all >= limit) setLimit(all + 1);
    } else if (index >= limit) setLimit(index + 1);
    setFocus(tid);
    requestAnimationFrame(() =>
      document.getElementById(threadRowId(tid))?.scrollIntoView({ block: 'center' }),
    );
  };

  if (!current) return <div className="hang-tab">Reading wait chains…</div>;
  if (!analysis) return <div className="hang-tab">{current.error}</div>;
  const hasCycle = analysis.cycles.length > 0;
  const known = new Set(analysis.threads.map((t) => t.tid));

  return (
    <div className="hang-tab" data-testid="hang-tab">
      <div
        className={`hang-verdict${hasCycle || analysis.blockedCount ? '' : ' hang-ok'}`}
        data-testid="hang-verdict"
      >
        {analysis.verdict}
      </div>
      <div className="hang-meta">
        <span>{analysis.threads.length} threads</span>
        <span>{analysis.blockedCount} blocked</span>
        <span>longest wait {formatWait(analysis.longestWaitMs)}</span>
        <span>
          main thread {analysis.mainThreadId ?? 'unknown'} ({analysis.mainThreadSource})
        </span>
        <span title="Bucket key: the same hang elsewhere gets the same signature">
          signature {analysis.signature}
        </span>
      </div>

      {analysis.cycles.map((c, i) => (
        <div key={i} className="hang-cycle" data-testid="hang-cycle">
          <h2>
            Deadlock {analysis.cycles.length > 1 ? i + 1 : ''}
            {c.incomplete ? ' (flagged by WCT; not every link was captured)' : ''}
          </h2>
          <span className="hang-chain">
            {c.tids.map((tid, j) => (
              <span key={tid} className="hang-chain">
                {j > 0 && <span className="hang-arrow">→</span>}
                <ThreadRef tid={tid} known={known.has(tid)} label={`thread ${tid}`} onJump={jump} />
                <span className="hang-arrow">waits on</span>
                <span className="hang-object">{c.objects[j] ?? 'object'}</span>
              </span>
            ))}
            {!c.incomplete && c.tids.length > 0 && (
              <>
                <span className="hang-arrow">owned by</span>
                <ThreadRef tid={c.tids[0] ?? 0} known label={`thread ${c.tids[0]}`} onJump={jump} />
              </>
            )}
          </span>
        </div>
      ))}

      <div className="hang-toolbar">
        <label>
          <input type="checkbox" checked={blockedOnly} onChange={(e) => setBlockedOnly(e.target.checked)} />{' '}
          blocked threads only
        </label>
        <input
          type="search"
          placeholder="thread id"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Filter threads by id"
        />
        <span className="hang-thread-plain">
          {shown.length} of {analysis.threads.length}
        </span>
      </div>

      <table className="hang-threads">
        <thead>
          <tr>
            <th>Thread</th>
            <th>Waiting</th>
            <th>Wait chain</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, limit).map((t) => (
            <ThreadRow key={t.tid} t={t} focused={focus === t.tid} onJump={jump} />
          ))}
        </tbody>
      </table>
      {shown.length > limit && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} more threads
        </button>
      )}
      {analysis.problems.length > 0 && (
        <div className="hang-problems">
          Notes: {analysis.problems.slice(0, 5).join('; ')}
          {analysis.problems.length > 5 ? ` (+${analysis.problems.length - 5} more)` : ''}
        </div>
      )}
    </div>
  );
}

/** Show the tab for incidents with a WCT file, or any hang. */
export function hasHangData(incident: IncidentDetail): boolean {
  return incident.kind === 'hang' || incident.artifacts.some((a) => a.role === 'wct');
}
