import { Line, LineChart } from 'recharts';
import type { BucketTrend } from '../../../../shared/domain/trends';
import { formatTime } from '../../lib/format';
import { KindBadge } from '../incident/badges';
import { RegressedPill } from '../causes/RegressedPill';

export function Spark({ values, kind }: { values: number[]; kind: BucketTrend['kind'] }) {
  const data = values.map((v, i) => ({ i, v }));
  return (
    <LineChart width={120} height={26} data={data} margin={{ top: 3, right: 2, bottom: 3, left: 2 }}>
      <Line
        type="monotone"
        dataKey="v"
        stroke={kind === 'hang' ? 'var(--hang)' : 'var(--crash)'}
        strokeWidth={1.5}
        dot={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}

/** Top buckets of the range: count, sparkline, first/last seen, "new"; a click filters the incident list. */
export function BucketTable({ buckets, onPick }: { buckets: BucketTrend[]; onPick(b: BucketTrend): void }) {
  return (
    <section className="card buckets-card" data-testid="bucket-table">
      <h2>Top buckets</h2>
      {buckets.length === 0 ? (
        <p className="muted">No crash or hang with a signature in this range.</p>
      ) : (
        <table className="data-table buckets">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Bucket</th>
              <th className="num">In range</th>
              <th className="num">All time</th>
              <th>Trend</th>
              <th>First seen</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr
                key={b.signature}
                data-testid="bucket-row"
                className="clickable"
                tabIndex={0}
                title="Show these incidents in the list"
                onClick={() => onPick(b)}
                onKeyDown={(e) => e.key === 'Enter' && onPick(b)}
              >
                <td>
                  <KindBadge kind={b.kind} />
                </td>
                <td className="bucket-cell">
                  <div className="ellipsis">
                    {b.isNew && (
                      <span className="new-badge" data-testid="new-badge">
                        new
                      </span>
                    )}
                    {b.regressed && <RegressedPill fixedAt={b.fixedAt} />}
                    {b.title}
                  </div>
                  <div className="mono small muted ellipsis">{b.signature}</div>
                </td>
                <td className="num mono">{b.inRange.toLocaleString()}</td>
                <td className="num mono muted">{b.total.toLocaleString()}</td>
                <td>
                  <Spark values={b.spark} kind={b.kind} />
                </td>
                <td className="mono small nowrap">{formatTime(b.firstSeen).slice(0, 16)}</td>
                <td className="mono small nowrap">{formatTime(b.lastSeen).slice(0, 16)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
