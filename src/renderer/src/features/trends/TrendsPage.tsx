import { useEffect } from 'react';
import { GAME_LABEL, type GameFamily } from '../../../../shared/domain/game';
import type { BucketTrend, Trends } from '../../../../shared/domain/trends';
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
  const game = useTrendsStore.getState().game ?? '';
  useListStore.getState().setFilters({ search: b.signature, kind: '', source: '', status: '', game });
  useDetailStore.getState().close();
  useAppStore.getState().setView('incidents');
}

const GAMES: (GameFamily | null)[] = [null, 'skyrim', 'fallout4'];

/** All games or one, with each game's crashes and hangs in the range. */
function GamePicker({
  game,
  data,
  onPick,
}: {
  game: GameFamily | null;
  data: Trends | null;
  onPick(g: GameFamily | null): void;
}) {
  const n = (g: GameFamily | null) =>
    data?.games ? (g ? data.games[g] : data.games.skyrim + data.games.fallout4 + data.games.unknown) : null;
  return (
    <div className="segmented" role="group" aria-label="Game" data-testid="trends-game">
      {GAMES.map((g) => (
        <button
          key={g ?? 'all'}
          type="button"
          aria-pressed={g === game}
          className={g === game ? 'on' : ''}
          data-testid={`game-${g ?? 'all'}`}
          onClick={() => onPick(g)}
        >
          {g ? GAME_LABEL[g] : 'All games'}
          {n(g) !== null && <span className="seg-count">{n(g)!.toLocaleString()}</span>}
        </button>
      ))}
    </div>
  );
}

/** Trends: install health, crashes/hangs over time, top buckets, module participation. */
export default function TrendsPage() {
  const { days, data, loading, error, hideSystem } = useTrendsStore();
  const setDays = useTrendsStore((s) => s.setDays);
  const game = useTrendsStore((s) => s.game);
  const setGame = useTrendsStore((s) => s.setGame);
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
        <GamePicker game={game} data={data} onPick={setGame} />
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
      {!!data?.totals.imported && (
        <p className="muted small trends-note" data-testid="trends-imported">
          Your own crashes and hangs only: {data.totals.imported.toLocaleString()} imported bundle
          {data.totals.imported === 1 ? ' is' : 's are'} someone else&apos;s and not counted here.
        </p>
      )}
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
