import { useEffect } from 'react';
import type { BucketTrend } from '../../../../shared/domain/trends';
import { getApi } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { useDetailStore } from '../incident/detail-store';
import { useListStore } from '../incident/list-store';
import { ActivityChart } from './ActivityChart';
import { BucketTable } from './BucketTable';
import { HealthCard } from './HealthCard';
import { ModuleChart } from './ModuleChart';
import { RANGES, useTrendsStore } from './trends-store';
import './trends.css';
import { ModTrendsSection } from '../setup/ModTrendsSection';

const rangeLabel = (d: number) => (d === 0 ? 'All' : d === 365 ? '1 year' : `${d} days`);

/** The incident list shows a bucket's incidents: its signature's words, searched (FTS). */
function showBucket(b: BucketTrend): void {
  useListStore.getState().setFilters({ search: b.signature, kind: '', source: '', status: '' });
  useDetailStore.getState().close();
  useAppStore.getState().setView('incidents');
}

/** Trends: install health, crashes/hangs over time, top buckets, module participation. */
export default function TrendsPage() {
  const { days, data, loading, error, hideSystem } = useTrendsStore();
  const setDays = useTrendsStore((s) => s.setDays);
  const setHideSystem = useTrendsStore((s) => s.setHideSystem);

  useEffect(() => {
    void useTrendsStore.getState().load();
    let t: ReturnType<typeof setTimeout> | undefined;
    const off = getApi().on('incidents:changed', () => {
      clearTimeout(t);
      t = setTimeout(() => void useTrendsStore.getState().load(), 300);
    });
    return () => {
      clearTimeout(t);
      off();
    };
  }, []);

  return (
    <div className="view-page trends-view" data-testid="trends-view">
      <div className="page-head">
        <h1>Trends</h1>
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((d) => (
            <button
              key={d}
              type="button"
              aria-pressed={d === days}
              className={d === days ? 'on' : ''}
              data-testid={`range-${d}`}
              onClick={() => setDays(d)}
            >
              {rangeLabel(d)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {data && (
          <span className="muted small" data-testid="trends-totals">
            {data.totals.crash.toLocaleString()} crashes · {data.totals.hang.toLocaleString()} hangs ·{' '}
            {data.totals.manual.toLocaleString()} manual · {data.totals.buckets.toLocaleString()} buckets
            {data.totals.newBuckets ? ` · ${data.totals.newBuckets} new this week` : ''}
          </span>
        )}
        {loading && <span className="muted small">Loading…</span>}
      </div>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {data && (
        <>
          <div className="trends-top">
            <HealthCard health={data.health} />
            <ActivityChart series={data.series} granularity={data.granularity} />
          </div>
          <BucketTable buckets={data.buckets} onPick={showBucket} />
          <ModuleChart modules={data.modules} hideSystem={hideSystem} onHideSystem={setHideSystem} />
          <ModTrendsSection days={days} />
        </>
      )}
    </div>
  );
}
