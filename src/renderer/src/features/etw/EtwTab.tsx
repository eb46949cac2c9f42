import { useEffect } from 'react';
import { peekFocus, takeFocus } from '../incident/focus-store';
import type { EtwSummary, EtwThreadStat } from '../../../../shared/domain/etw';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { formatMs, percentOf } from '../../../../shared/domain/etw-format';
import { formatBytes } from '../../lib/format';
import { EtwEvents } from './EtwEvents';
import { EtwTimeline } from './EtwTimeline';
import { useEtwStore } from './etw-store';
import './etw.css';

export function hasEtl(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'etl');
}

function Card({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="etw-card" title={sub ? `${value}: ${sub}` : value}>
      <div className="etw-card-label">{label}</div>
      <div className="etw-card-value">{value}</div>
      {sub && <div className="etw-card-sub">{sub}</div>}
    </div>
  );
}

function Cards({ s }: { s: EtwSummary }) {
  const io = s.io;
  const lost = (s.header?.eventsLost ?? 0) + (s.header?.buffersLost ?? 0);
  return (
    <div className="etw-cards" data-testid="etw-cards">
      <Card
        label="Capture window"
        value={formatMs(s.durationMs)}
        sub={s.header?.startTime?.replace('T', ' ').slice(0, 19) ?? ''}
      />
      <Card
        label="Events"
        value={s.events.toLocaleString('en-US')}
        sub={`${s.types.length} types, ${s.providers.length} providers`}
      />
      <Card
        label="Focus process"
        value={s.focusProcess?.name ?? '–'}
        sub={s.focusProcess ? `pid ${s.focusProcess.pid}, ${s.focusProcess.why}` : 'no process data'}
      />
      {s.hasKernel && (
        <Card
          label="CPU samples"
          value={s.totalSamples.toLocaleString('en-US')}
          sub={s.topModules[0] ? `top: ${s.topModules[0].name}` : ''}
        />
      )}
      {s.hasKernel && (
        <Card
          label="Disk I/O"
          value={formatBytes(io.diskReadBytes + io.diskWriteBytes)}
          sub={`${io.diskReads} reads, ${io.diskWrites} writes, ${formatMs(io.diskTimeMs)}`}
        />
      )}
      {s.hasKernel && (
        <Card
          label="File I/O"
          value={formatBytes(io.fileReadBytes + io.fileWriteBytes)}
          sub={`${io.fileReads} reads, ${io.fileWrites} writes, ${io.hardFaults} hard faults`}
        />
      )}
      <Card
        label="Trace"
        value={formatBytes(s.size)}
        sub={`${s.buffers} buffers${s.compressedBuffers ? ` (${s.compressedBuffers} compressed)` : ''}${lost ? `, ${lost} lost` : ''}`}
      />
      {s.problemCount > 0 && (
        <Card label="Problems" value={String(s.problemCount)} sub="bad buffers/records skipped" />
      )}
    </div>
  );
}

function ThreadTable({
  title,
  threads,
  window,
  testId,
}: {
  title: string;
  threads: EtwThreadStat[];
  window: number;
  testId: string;
}) {
  if (threads.length === 0) return null;
  return (
    <section className="etw-section">
      <h2>{title}</h2>
      <table className="etw-table" data-testid={testId}>
        <thead>
          <tr>
            <th>TID</th>
            <th>Name</th>
            <th className="num">CPU</th>
            <th className="num">Wait</th>
            <th>Top wait reasons</th>
            <th className="num">Samples</th>
          </tr>
        </thead>
        <tbody>
          {threads.map((t) => (
            <tr key={t.tid}>
              <td>{t.tid}</td>
              <td>{t.name ?? ''}</td>
              <td className="num">
                {formatMs(t.cpuMs)} <span className="etw-muted">{percentOf(t.cpuMs, window)}</span>
              </td>
              <td className="num">
                {formatMs(t.waitMs)} <span className="etw-muted">{percentOf(t.waitMs, window)}</span>
              </td>
              <td>{t.topWaitReasons.map((r) => `${r.reason} ${formatMs(r.ms)}`).join(', ')}</td>
              <td className="num">{t.samples}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Kernel({ s }: { s: EtwSummary }) {
  const m = s.mainThread;
  return (
    <>
      {m && (
        <section className="etw-section etw-main" data-testid="etw-main-thread">
          <h2>Main thread during the capture window</h2>
          <p>{m.sentence}</p>
          <div className="etw-bar" title="running / ready / waiting">
            <span className="run" style={{ flexGrow: m.runningMs }} />
            <span className="ready" style={{ flexGrow: m.readyMs }} />
            <span className="wait" style={{ flexGrow: m.waitingMs }} />
          </div>
          <div className="etw-muted">
            running {formatMs(m.runningMs)} · ready {formatMs(m.readyMs)} · waiting {formatMs(m.waitingMs)} ·
            thread {m.tid} ({m.how})
            {m.waitModules.length > 0 && (
              <> · wait stacks through {m.waitModules.map((x) => x.name).join(', ')}</>
            )}
          </div>
        </section>
      )}
      <div className="etw-stack">
        <ThreadTable
          title={`Top threads of ${s.focusProcess?.name ?? 'the trace'} by CPU`}
          threads={s.topThreadsByCpu}
          window={s.durationMs}
          testId="etw-threads-cpu"
        />
        <ThreadTable
          title={`Top threads of ${s.focusProcess?.name ?? 'the trace'} by wait time`}
          threads={s.topThreadsByWait}
          window={s.durationMs}
          testId="etw-threads-wait"
        />
      </div>
      <div className="etw-grid">
        {s.topModules.length > 0 && (
          <section className="etw-section">
            <h2>Top modules by sampled CPU</h2>
            <table className="etw-table" data-testid="etw-modules">
              <tbody>
                {s.topModules.map((mod) => (
                  <tr key={mod.name} title={mod.path}>
                    <td>{mod.name}</td>
                    <td className="num">{mod.samples.toLocaleString('en-US')}</td>
                    <td className="etw-pct">
                      <span style={{ width: `${mod.percent}%` }} />
                      {mod.percent.toFixed(1)}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <section className="etw-section">
          <h2>Processes</h2>
          <table className="etw-table" data-testid="etw-processes">
            <thead>
              <tr>
                <th>PID</th>
                <th>Name</th>
                <th className="num">CPU</th>
                <th className="num">Samples</th>
                <th className="num">Threads</th>
              </tr>
            </thead>
            <tbody>
              {s.processes.slice(0, 12).map((p) => (
                <tr key={p.pid} title={p.commandLine ?? ''}>
                  <td>{p.pid}</td>
                  <td>{p.name}</td>
                  <td className="num">{formatMs(p.cpuMs)}</td>
                  <td className="num">{p.samples}</td>
                  <td className="num">{p.threads}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      {s.io.topFiles.length > 0 && (
        <section className="etw-section">
          <h2>Files with the most I/O</h2>
          <table className="etw-table">
            <tbody>
              {s.io.topFiles.map((f) => (
                <tr key={f.path}>
                  <td className="etw-mono">{f.path}</td>
                  <td className="num">{formatBytes(f.bytes)}</td>
                  <td className="num">{f.ops} ops</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Types({ s }: { s: EtwSummary }) {
  const setFilter = useEtwStore((st) => st.setFilter);
  return (
    <section className="etw-section">
      <h2>Providers and event types</h2>
      {/* Scrolls on its own: focusable, so the keyboard can scroll it too. */}
      <div className="etw-types" tabIndex={0} role="region" aria-label="Providers and event types">
        <table className="etw-table" data-testid="etw-types">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Event</th>
              <th className="num">Count</th>
              <th className="num">Payload</th>
            </tr>
          </thead>
          <tbody>
            {s.types.slice(0, 300).map((t) => (
              <tr
                key={t.typeId}
                className="etw-click"
                onClick={() => setFilter({ provider: t.provider, event: t.event })}
              >
                <td title={t.providerGuid}>{t.provider}</td>
                <td>{t.event}</td>
                <td className="num">{t.count.toLocaleString('en-US')}</td>
                <td className="num">{formatBytes(t.payloadBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** ETW tab: what the machine was doing during the capture, from the incident's .etl trace. */
export function EtwTab({ incident }: { incident: IncidentDetail }) {
  const st = useEtwStore();
  useEffect(() => {
    // Opened from the Timeline: that trace, with that event selected.
    const focus = peekFocus('etw');
    void useEtwStore
      .getState()
      .load(incident.id, focus?.artifactId ?? undefined)
      .then(() => {
        const position = takeFocus('etw')?.position;
        if (position !== undefined) void useEtwStore.getState().select(position);
      });
  }, [incident.id]);
  const current = st.incidentId === incident.id ? st : null;
  if (!current || current.loading) return <div className="etw-tab etw-muted">Reading the trace…</div>;
  const s = current.summary;
  if (!s) return <div className="etw-tab etw-muted">{current.error ?? 'No trace.'}</div>;
  return (
    <div className="etw-tab" data-testid="etw-tab">
      {current.traces.length > 1 && (
        <select
          aria-label="Trace"
          value={current.artifactId ?? ''}
          onChange={(e) => void useEtwStore.getState().load(incident.id, Number(e.target.value))}
        >
          {current.traces.map((t) => (
            <option key={t.artifactId} value={t.artifactId}>
              {t.name}
            </option>
          ))}
        </select>
      )}
      <div className="etw-facts" data-testid="etw-facts">
        {s.facts
          .filter((f) => f !== s.mainThread?.sentence)
          .map((f) => (
            <div key={f}>{f}</div>
          ))}
      </div>
      <Cards s={s} />
      <EtwTimeline timeline={s.timeline} hasCpu={s.topThreadsByCpu.some((t) => t.cpuMs !== null)} />
      {s.hasKernel && <Kernel s={s} />}
      <Types s={s} />
      <section className="etw-section">
        <h2>Events</h2>
        <EtwEvents summary={s} />
      </section>
      {s.problems.length > 0 && (
        <section className="etw-section" data-testid="etw-problems">
          <h2>Problems while reading</h2>
          <ul>
            {s.problems.map((p, i) => (
              <li key={i}>
                <code>{p.code}</code> {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
