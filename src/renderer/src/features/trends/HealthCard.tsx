import { PolarAngleAxis, RadialBar, RadialBarChart } from 'recharts';
import type { InstallHealth } from '../../../../shared/domain/trends';

const GRADE_COLOR: Record<InstallHealth['grade'], string> = {
  good: 'var(--ok)',
  fair: 'var(--manual)',
  poor: 'var(--hang)',
  bad: 'var(--crash)',
};
const ARROW = { rising: '↗ rising', steady: '→ steady', falling: '↘ falling' } as const;

/** The install health score as a gauge, with every factor's penalty and rule. */
export function HealthCard({ health }: { health: InstallHealth }) {
  const color = GRADE_COLOR[health.grade];
  return (
    <section className="card health-card" data-testid="health-card">
      <h2>Install health</h2>
      <div className="health-top">
        <div className="health-gauge">
          <RadialBarChart
            width={132}
            height={132}
            innerRadius={48}
            outerRadius={62}
            startAngle={90}
            endAngle={-270}
            data={[{ score: health.score }]}
          >
            <PolarAngleAxis type="number" domain={[0, 100]} tick={false} axisLine={false} />
            <RadialBar
              dataKey="score"
              fill={color}
              background={{ fill: 'var(--bg-hover)' }}
              cornerRadius={6}
              isAnimationActive={false}
            />
          </RadialBarChart>
          <div className="health-score" data-testid="health-score">
            <strong style={{ color }}>{health.score}</strong>
            <span className="muted small">of 100</span>
          </div>
        </div>
        <div className="health-grade">
          <span className={`grade grade-${health.grade}`}>{health.grade}</span>
          <span className={`direction dir-${health.direction}`} data-testid="health-direction">
            crashes & hangs {ARROW[health.direction]}
          </span>
        </div>
      </div>
      <table className="health-factors" data-testid="health-factors">
        <tbody>
          {health.factors.map((f) => (
            <tr key={f.id} data-testid={`factor-${f.id}`}>
              <td>
                <div className="factor-label">{f.label}</div>
                <div className="muted small">{f.value}</div>
                <div className="factor-rule small mono">{f.rule}</div>
              </td>
              <td className="factor-bar">
                <div className="bar" title={`${f.penalty} of ${f.max} points`}>
                  <span style={{ width: `${(100 * f.penalty) / f.max}%` }} />
                </div>
                <div className="num small mono">
                  −{f.penalty.toFixed(1)} / {f.max}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small formula">{health.formula}</p>
    </section>
  );
}
