import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, LEGEND, TOOLTIP } from './chart-style';
import type { ModuleParticipation } from '../../../../shared/domain/trends';

const SHOWN = 15;
const ROW = 24;

/** In how many of the range's crashes and hangs each module took part: faulting vs on the stack / a suspect. */
export function ModuleChart({
  modules,
  hideSystem,
  onHideSystem,
}: {
  modules: ModuleParticipation[];
  hideSystem: boolean;
  onHideSystem(on: boolean): void;
}) {
  const shown = modules.filter((m) => !hideSystem || m.role === 'other').slice(0, SHOWN);
  // Only the chart's own fields: recharts puts a data row's fields on its SVG shapes as
  // attributes, and a field named `role` became an invalid ARIA role on every bar.
  const data = shown.map((m) => ({
    module: m.module,
    faulting: m.faulting,
    other: m.other,
    pct: Math.round(m.share * 100),
  }));
  return (
    <section className="card modules-card" data-testid="module-chart">
      <div className="card-head">
        <h2>Module participation</h2>
        <label className="small muted">
          <input type="checkbox" checked={hideSystem} onChange={(e) => onHideSystem(e.target.checked)} /> hide
          OS and game modules
        </label>
      </div>
      {data.length === 0 ? (
        <p className="muted">No module information for this range.</p>
      ) : (
        <div style={{ height: 40 + data.length * ROW }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={data}
              layout="vertical"
              margin={{ top: 0, right: 16, bottom: 0, left: 8 }}
              barCategoryGap={4}
            >
              <CartesianGrid horizontal={false} stroke="var(--border)" />
              <XAxis type="number" allowDecimals={false} {...AXIS} />
              <YAxis
                type="category"
                dataKey="module"
                width={170}
                interval={0}
                tick={{ fill: 'var(--fg)', fontSize: 12 }}
                stroke="var(--border)"
              />
              <Tooltip
                {...TOOLTIP}
                formatter={(v, name) => [`${String(v)} incidents`, name]}
                labelFormatter={(m, p) =>
                  `${String(m)} — in ${String(p[0]?.payload?.pct ?? 0)}% of crashes and hangs`
                }
              />
              <Legend {...LEGEND} />
              <Bar
                dataKey="faulting"
                name="Faulting module"
                stackId="m"
                fill="var(--crash)"
                isAnimationActive={false}
              />
              <Bar
                dataKey="other"
                name="On the stack / suspect"
                stackId="m"
                fill="var(--accent)"
                fillOpacity={0.6}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
