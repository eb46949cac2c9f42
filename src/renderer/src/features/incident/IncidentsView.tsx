import { useCallback, useEffect, useRef } from 'react';
import { EmptyState } from '../folders/EmptyState';
import { useFolderStore } from '../folders/folder-store';
import { openFolder } from '../folders/open-folder';
import { useDetailStore } from './detail-store';
import { IncidentDetailView } from './IncidentDetailView';
import { IncidentList } from './IncidentList';
import { ListToolbar } from './ListToolbar';
import { useListStore } from './list-store';
import './incident.css';

/** The Incidents view: list with search and filters, or one incident's detail. */
export function IncidentsView() {
  const openId = useDetailStore((s) => s.openId);
  const open = useDetailStore((s) => s.open);
  const close = useDetailStore((s) => s.close);
  const loadedOnce = useListStore((s) => s.loadedOnce);
  const total = useListStore((s) => s.total);
  const error = useListStore((s) => s.error);
  const indexProblem = useListStore((s) => s.indexProblem);
  const rebuilding = useFolderStore((s) => s.busy === 'rebuild');
  const filters = useListStore((s) => s.filters);
  const folders = useFolderStore((s) => s.folders);
  const foldersLoaded = useFolderStore((s) => s.loaded);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const focusList = useCallback(() => {
    listRef.current?.querySelector<HTMLElement>('[data-testid="incident-list"]')?.focus();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing =
        !!t &&
        (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === '/' && !typing && !openId) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && openId && !typing && !document.querySelector('.modal')) {
        e.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId, close]);

  // Coming back from the detail view puts the keyboard where it was.
  useEffect(() => {
    if (!openId) focusList();
  }, [openId, focusList]);

  if (openId) return <IncidentDetailView onBack={close} />;

  const filtered = !!(filters.search || filters.kind || filters.source || filters.status || filters.game);
  const showEmpty = loadedOnce && foldersLoaded && total === 0 && !filtered && !error;

  return (
    <div className="incidents-view" ref={listRef}>
      <h1 className="sr-only">Incidents</h1>
      {!showEmpty && (
        <ListToolbar ref={searchRef} onOpenFolder={() => void openFolder()} onEnterList={focusList} />
      )}
      {error && (
        <div className="banner error" role="alert" data-testid="list-error">
          {error}
          {indexProblem && (
            <>
              {' '}
              The files are the truth, so nothing is lost by rebuilding the index from them.{' '}
              <button
                type="button"
                disabled={rebuilding}
                data-testid="rebuild-index"
                onClick={() =>
                  void useFolderStore
                    .getState()
                    .rebuild()
                    .then(() => useListStore.getState().refresh())
                }
              >
                {rebuilding ? 'Rebuilding…' : 'Rebuild index'}
              </button>
            </>
          )}
        </div>
      )}
      {showEmpty ? (
        <EmptyState hasFolders={folders.length > 0} />
      ) : loadedOnce && total === 0 ? (
        <div className="no-results muted" data-testid="no-results">
          No incident matches {filters.search ? `"${filters.search}"` : 'these filters'}.
        </div>
      ) : (
        <IncidentList onOpen={(id) => void open(id)} onFocusSearch={() => searchRef.current?.focus()} />
      )}
    </div>
  );
}
