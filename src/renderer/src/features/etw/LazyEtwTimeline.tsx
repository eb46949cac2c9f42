import { lazy, Suspense, type ComponentProps } from 'react';
import type { EtwTimeline as Chart } from './EtwTimeline';

const EtwTimelineChart = lazy(() => import('./EtwTimeline').then((m) => ({ default: m.EtwTimeline })));

/**
 * The timeline draws with recharts, a sizeable library: imported directly, it made the first
 * page load it for every user (issue 15). It now loads when a trace's tab is first shown.
 */
export function EtwTimeline(props: ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<div className="etw-muted">Loading the timeline chart…</div>}>
      <EtwTimelineChart {...props} />
    </Suspense>
  );
}
