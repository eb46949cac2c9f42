import { forwardRef, useEffect, useState } from 'react';
import { GAME_LABEL, GameFamily } from '../../../../shared/domain/game';
import { IncidentKind, IncidentSource, IncidentStatus } from '../../../../shared/domain/incident';
import { SOURCE_LABEL } from './badges';
import { useListStore, type ListFilters } from './list-store';
import { ImportBundleButton } from '../bundle/ImportBundleButton';

interface Props {
  onOpenFolder(): void;
  onEnterList(): void;
}

const SEARCH_DEBOUNCE_MS = 180;

/** Search box (FTS, debounced) and kind/source/status filters. */
export const ListToolbar = forwardRef<HTMLInputElement, Props>(function ListToolbar(
  { onOpenFolder, onEnterList },
  searchRef,
) {
  const filters = useListStore((s) => s.filters);
  const setFilters = useListStore((s) => s.setFilters);
  const total = useListStore((s) => s.total);
  const loading = useListStore((s) => s.loading);
  const [text, setText] = useState(filters.search);

  useEffect(() => {
    if (text === filters.search) return;
    const t = setTimeout(() => setFilters({ search: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, filters.search, setFilters]);

  const select = <K extends keyof ListFilters>(
    key: K,
    options: readonly string[],
    label: (v: string) => string,
  ) => (
    <select
      aria-label={`Filter by ${key}`}
      data-testid={`filter-${key}`}
      value={filters[key]}
      onChange={(e) => setFilters({ [key]: e.target.value } as Partial<ListFilters>)}
    >
      <option value="">Any {key}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );

  return (
    <div className="toolbar">
      <div className="search">
        <input
          ref={searchRef}
          type="search"
          placeholder="Search: modules, plugins, exceptions…  ( / )"
          aria-label="Search incidents"
          data-testid="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              // Clears the search and hands the keyboard back to the list (arrows, Enter).
              e.preventDefault();
              setText('');
              if (filters.search) setFilters({ search: '' });
              onEnterList();
            } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              if (text !== filters.search) setFilters({ search: text });
              onEnterList();
            }
          }}
        />
      </div>
      {select('kind', IncidentKind.options, (v) => v)}
      {select('source', IncidentSource.options, (v) => SOURCE_LABEL[v] ?? v)}
      {select('status', IncidentStatus.options, (v) => v)}
      {select('game', GameFamily.options, (v) => GAME_LABEL[v as GameFamily])}
      <span className="count muted" data-testid="incident-count">
        {loading ? 'Loading…' : `${total.toLocaleString()} incident${total === 1 ? '' : 's'}`}
      </span>
      <span className="spacer" />
      <ImportBundleButton />
      <button type="button" onClick={onOpenFolder}>
        Open folder…
      </button>
    </div>
  );
});
