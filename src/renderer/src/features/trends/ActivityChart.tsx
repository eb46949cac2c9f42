import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, LEGEND, TOOLTIP } from './chart-style';
import type { TrendPoint } from '../../../../shared/domain/trends';

const label = (period: string) => period.slice(5);

/** Crashes, hangs and manual captures per day (or week), stacked. */
export function ActivityChart({
  series,
  granularity,
}: {
  series: TrendPoint[];
  granularity: 'day' | 'week';
}) {
  return (
    <section className="card activity-card" data-testid="activity-chart">
      <h2>Crashes and hangs per {granularity}</h2>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={series} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="period" tickFormatter={label} {...AXIS} minTickGap={18} />
            <YAxis allowDecimals={false} {...AXIS} />
            <Tooltip
              {...TOOLTIP}
              labelFormatter={(p) => `${granularity === 'week' ? 'Week of ' : ''}${String(p)}`}
            />
            <Legend {...LEGEND} />
            <Bar dataKey="crash" name="Crashes" stackId="a" fill="var(--crash)" isAnimationActive={false} />
            <Bar dataKey="hang" name="Hangs" stackId="a" fill="var(--hang)" isAnimationActive={false} />
            <Bar
              dataKey="manual"
              name="Manual"
              stackId="a"
              fill="var(--manual)"
              fillOpacity={0.55}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
