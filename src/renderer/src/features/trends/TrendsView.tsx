import { lazy, Suspense } from 'react';

const TrendsPage = lazy(() => import('./TrendsPage'));

/** The charts library is sizeable: load it when the Trends view is first opened. */
export function TrendsView() {
  return (
    <Suspense fallback={<div className="pad muted">Loading trends…</div>}>
      <TrendsPage />
    </Suspense>
  );
}
