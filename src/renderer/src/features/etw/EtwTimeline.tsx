import {
  Area,
  AreaChart,
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { EtwTimeline as Timeline } from '../../../../shared/domain/etw';
import { formatBytes } from '../../lib/format';

const COLORS = ['#4c8df6', '#e2a745', '#52b788', '#ef6a5f', '#9b7bd8'];
const AXIS = { fontSize: 11, fill: 'var(--fg-muted)' };

function secondsTick(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** The capture window: CPU of the top threads (share of one core) and events / I/O per time slice. */
export function EtwTimeline({ timeline, hasCpu }: { timeline: Timeline; hasCpu: boolean }) {
  const data = timeline.buckets.map((b) => {
    const row: Record<string, number> = { t: b.t, events: b.events, io: b.ioBytes };
    b.cpu.forEach(
      (ms, i) => (row[`cpu${i}`] = Math.min(100, Math.round((ms / timeline.bucketMs) * 1000) / 10)),
    );
    return row;
  });
  const hasIo = data.some((d) => (d.io ?? 0) > 0);
  // Shared by both charts: one grid, one time axis (seconds since the trace start).
  const grid = <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />;
  const timeAxis = (
    <XAxis
      dataKey="t"
      type="number"
      domain={['dataMin', 'dataMax']}
      tickFormatter={secondsTick}
      tick={AXIS}
    />
  );
  const tooltipStyle = { background: 'var(--bg-elev)', border: '1px solid var(--border)', fontSize: 12 };
  return (
    <div className="etw-charts" data-testid="etw-timeline">
      {hasCpu && timeline.threads.length > 0 && (
        <div className="etw-chart">
          <h2>CPU of the top threads (% of one core)</h2>
          <ResponsiveContainer width="100%" height={180}>
            <AreaChart data={data} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
              {grid}
              {timeAxis}
              <YAxis domain={[0, 100]} tick={AXIS} width={36} unit="%" />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(v) => `${Number(v).toFixed(0)} ms`}
                formatter={(v) => `${Number(v)}%`}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {timeline.threads.map((th, i) => (
                <Area
                  key={th.tid}
                  type="stepAfter"
                  dataKey={`cpu${i}`}
                  name={th.label}
                  stroke={COLORS[i % COLORS.length]}
                  fill={COLORS[i % COLORS.length]}
                  fillOpacity={0.08}
                  strokeWidth={1.5}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
      <div className="etw-chart">
        <h2>
          Events{hasIo ? ' and I/O bytes' : ''} per {timeline.bucketMs.toFixed(0)} ms
        </h2>
        <ResponsiveContainer width="100%" height={150}>
          <ComposedChart data={data} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            {grid}
            {timeAxis}
            <YAxis yAxisId="events" tick={AXIS} width={44} />
            {hasIo && (
              <YAxis
                yAxisId="io"
                orientation="right"
                tick={AXIS}
                width={56}
                tickFormatter={(v: number) => formatBytes(v)}
              />
            )}
            <Tooltip
              contentStyle={tooltipStyle}
              labelFormatter={(v) => `${Number(v).toFixed(0)} ms`}
              formatter={(v, name) => (name === 'I/O' ? formatBytes(Number(v)) : String(v))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar yAxisId="events" dataKey="events" name="events" fill="#8a94a6" isAnimationActive={false} />
            {hasIo && (
              <Line
                yAxisId="io"
                dataKey="io"
                name="I/O"
                stroke="#e2a745"
                dot={false}
                type="stepAfter"
                isAnimationActive={false}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
