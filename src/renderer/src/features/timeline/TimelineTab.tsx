import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import type { Timeline, TimelineEvent, TimelineSource } from '../../../../shared/domain/timeline';
import { formatBytes } from '../../lib/format';
import { openInTab } from '../incident/focus-store';
import { useTimelineStore, ZOOMS } from './timeline-store';
import './timeline.css';

const ROW = 28;
/** Texts that already say how bad they are get no "Error:" in front. */
const SAYS_LEVEL = /^(error|warning|critical|crash|freeze)\b/i;

export const SOURCE_LABEL: Record<TimelineSource, string> = {
  incident: 'Incident',
  dump: 'Dump',
  crashlog: 'Crash log',
  wct: 'Wait chains',
  manifest: 'Manifest',
  summary: 'SkyrimDiag summary',
  blackbox: 'Black box',
  etw: 'ETW',
  papyrus: 'Papyrus',
  log: 'Log',
};

/** Every incident with a file has a timeline. */
export function hasTimeline(incident: IncidentDetail): boolean {
  return incident.artifacts.length > 0;
}

/** "−1.234 s", "+12 min 3 s". */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : ms > 0 ? '+' : '±';
  const a = Math.abs(ms);
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(3)} s`;
  if (a < 3_600_000) return `${sign}${Math.floor(a / 60_000)} min ${Math.round((a % 60_000) / 1000)} s`;
  return `${sign}${Math.floor(a / 3_600_000)} h ${Math.round((a % 3_600_000) / 60_000)} min`;
}

const PRECISION_MARK: Record<TimelineEvent['precision'], string> = {
  ms: '',
  s: '(to the second)',
  approx: '≈',
};

/** Timeline tab: every timestamped event of the incident's files on one clock, nearest the crash first. */
export function TimelineTab({ incident }: { incident: IncidentDetail }) {
  const s = useTimelineStore();
  useEffect(() => {
    void useTimelineStore.getState().load(incident.id);
  }, [incident.id]);
  const tl = s.incidentId === incident.id ? s.timeline : null;
  if (s.incidentId === incident.id && s.loading) {
    const p = s.progress;
    const pct = p && p.bytesTotal > 0 ? Math.round((100 * p.bytesDone) / p.bytesTotal) : null;
    return (
      <div className="pad muted tl-loading" data-testid="timeline-loading">
        <p>Putting the incident’s files on one clock…</p>
        {p && (
          <>
            <label htmlFor="tl-progress">
              Reading {p.name} ({formatBytes(p.bytesDone)} of {formatBytes(p.bytesTotal)})
            </label>
            <progress id="tl-progress" max={100} value={pct ?? 0} />
          </>
        )}
      </div>
    );
  }
  if (!tl)
    return (
      <div className="banner error" role="alert">
        {s.error ?? 'No timeline.'}
      </div>
    );
  return <TimelineView tl={tl} />;
}

function TimelineView({ tl }: { tl: Timeline }) {
  const { hidden, zoom, order, toggle, setZoom, setOrder } = useTimelineStore();
  const win = ZOOMS.find((z) => z.id === zoom)?.ms ?? null;
  const counts = useMemo(() => {
    const c = new Map<TimelineSource, number>();
    for (const e of tl.events) c.set(e.source, (c.get(e.source) ?? 0) + 1);
    return c;
  }, [tl]);
  const shown = useMemo(() => {
    const list = tl.events.filter(
      (e) => !hidden.has(e.source) && (win === null || Math.abs(e.offsetMs) <= win),
    );
    // Nearest first: the last seconds before the crash or freeze (and what came right after) on top.
    return order === 'nearest'
      ? [...list].sort((a, b) => Math.abs(a.offsetMs) - Math.abs(b.offsetMs) || a.offsetMs - b.offsetMs)
      : list;
  }, [tl, hidden, win, order]);

  return (
    <div className="timeline-tab" data-testid="timeline-tab">
      <div className="tl-head">
        <div>
          <strong>{tl.kind === 'hang' ? 'Freeze' : tl.kind === 'crash' ? 'Crash' : 'Incident'}</strong> at{' '}
          <span className="mono" data-testid="timeline-incident-time">
            {tl.incidentTime.replace('T', ' ')}
          </span>{' '}
          <span className="muted">({tl.incidentTimeFrom})</span>
        </div>
        <div className="muted small">
          Local clock {tl.zone.label}: {tl.zone.from}.{' '}
          {tl.truncated && 'Some files hold more events than shown: the ones nearest the incident are kept.'}
        </div>
      </div>

      <div className="tl-controls">
        <fieldset className="tl-sources" data-testid="timeline-sources">
          <legend>Sources</legend>
          {[...counts.keys()].map((src) => (
            <label key={src} className={`tl-chip src-${src}`}>
              <input type="checkbox" checked={!hidden.has(src)} onChange={() => toggle(src)} />
              {SOURCE_LABEL[src]} <span className="muted">({counts.get(src)})</span>
            </label>
          ))}
        </fieldset>
        <div className="segmented" role="radiogroup" aria-label="Zoom" data-testid="timeline-zoom">
          {ZOOMS.map((z) => (
            <button
              key={z.id}
              type="button"
              role="radio"
              aria-checked={zoom === z.id}
              className={zoom === z.id ? 'active' : ''}
              onClick={() => setZoom(z.id)}
            >
              {z.ms === null ? z.label : `±${z.label}`}
            </button>
          ))}
        </div>
        <div className="segmented" role="radiogroup" aria-label="Order">
          <button
            type="button"
            role="radio"
            aria-checked={order === 'nearest'}
            className={order === 'nearest' ? 'active' : ''}
            onClick={() => setOrder('nearest')}
          >
            Nearest first
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={order === 'time'}
            className={order === 'time' ? 'active' : ''}
            onClick={() => setOrder('time')}
          >
            In time order
          </button>
        </div>
      </div>

      <Strip tl={tl} hidden={hidden} win={win} />
      <EventList events={shown} />
      <SourceNotes tl={tl} />
    </div>
  );
}

/** One lane per source, a tick per event, the incident at the red line. Click a tick to open it. */
function Strip({
  tl,
  hidden,
  win,
}: {
  tl: Timeline;
  hidden: ReadonlySet<TimelineSource>;
  win: number | null;
}) {
  const events = tl.events.filter(
    (e) => !hidden.has(e.source) && (win === null || Math.abs(e.offsetMs) <= win),
  );
  const lanes = [...new Set(events.map((e) => e.source))];
  if (!events.length) return null;
  const lo = win === null ? Math.min(0, ...events.map((e) => e.offsetMs)) : -win;
  const hi = win === null ? Math.max(0, ...events.map((e) => e.offsetMs)) : win;
  const span = Math.max(1, hi - lo);
  const W = 1000;
  const LANE = 18;
  const LEFT = 120;
  const x = (ms: number) => LEFT + ((ms - lo) / span) * (W - LEFT - 10);
  const H = lanes.length * LANE + 22;
  return (
    <svg
      className="tl-strip"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${events.length} events from ${lanes.length} sources between ${formatOffset(lo)} and ${formatOffset(hi)} around the incident`}
      data-testid="timeline-strip"
    >
      {lanes.map((src, i) => (
        <g key={src}>
          <text x={4} y={i * LANE + 13} className="tl-lane-label">
            {SOURCE_LABEL[src]}
          </text>
          <line x1={LEFT} x2={W - 10} y1={i * LANE + 9} y2={i * LANE + 9} className="tl-lane" />
        </g>
      ))}
      <line x1={x(0)} x2={x(0)} y1={0} y2={lanes.length * LANE} className="tl-zero" />
      {events.map((e, k) => (
        <rect
          key={k}
          x={x(e.offsetMs) - 1.5}
          y={lanes.indexOf(e.source) * LANE + 3}
          width={3}
          height={12}
          className={`tl-tick lvl-${e.level}`}
          onClick={() => openInTab(e.ref)}
        >
          <title>{`${formatOffset(e.offsetMs)} ${e.text}`}</title>
        </rect>
      ))}
      <text x={LEFT} y={H - 4} className="tl-axis">
        {formatOffset(lo)}
      </text>
      <text x={x(0)} y={H - 4} className="tl-axis" textAnchor="middle">
        {tl.kind === 'hang' ? 'freeze' : 'crash'}
      </text>
      <text x={W - 10} y={H - 4} className="tl-axis" textAnchor="end">
        {formatOffset(hi)}
      </text>
    </svg>
  );
}

function EventList({ events }: { events: TimelineEvent[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  });
  if (!events.length)
    return (
      <p className="muted pad" data-testid="timeline-empty">
        No events in this window: widen the zoom or turn sources back on.
      </p>
    );
  return (
    <div className="tl-list" ref={scrollRef} data-testid="timeline-list" role="table" aria-label="Events">
      <div className="tl-row tl-row-head" role="row">
        <span role="columnheader">From incident</span>
        <span role="columnheader">Local time</span>
        <span role="columnheader">Source</span>
        <span role="columnheader">Event (opens its file)</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="rowgroup">
        {virtualizer.getVirtualItems().map((v) => {
          const e = events[v.index]!;
          return (
            <div
              key={v.key}
              role="row"
              className={`tl-row lvl-${e.level}${e.source === 'incident' ? ' tl-incident' : ''}`}
              data-testid="timeline-event"
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW,
                transform: `translateY(${v.start}px)`,
              }}
            >
              <span role="cell" className="mono tl-offset">
                {formatOffset(e.offsetMs)}
              </span>
              <span role="cell" className="mono" title={PRECISION_MARK[e.precision] || undefined}>
                {e.precision === 'approx' ? '≈' : ''}
                {e.t.slice(11)}
              </span>
              <span role="cell" className={`tl-src src-${e.source}`}>
                {SOURCE_LABEL[e.source]}
              </span>
              <span role="cell" className="tl-text">
                <button type="button" className="link-button" title={e.text} onClick={() => openInTab(e.ref)}>
                  {e.level !== 'info' && !SAYS_LEVEL.test(e.text) && (
                    <span className="tl-level">{e.level === 'error' ? 'Error: ' : 'Warning: '}</span>
                  )}
                  {e.text}
                </button>
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function SourceNotes({ tl }: { tl: Timeline }) {
  return (
    <details className="tl-notes">
      <summary>How each file’s times were read ({tl.sources.length} files)</summary>
      <table className="data-table">
        <thead>
          <tr>
            <th>File</th>
            <th>Events</th>
            <th>Clock</th>
          </tr>
        </thead>
        <tbody>
          {tl.sources.map((s, i) => (
            <tr key={i}>
              <td className="mono">{s.name}</td>
              <td className="num">
                {s.kept}
                {s.seen > s.kept ? ` of ${s.seen}` : ''}
              </td>
              <td>
                {s.clock}
                {s.note && <div className="muted">{s.note}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
