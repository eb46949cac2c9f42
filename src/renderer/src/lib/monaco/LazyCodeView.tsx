import { lazy, Suspense } from 'react';
import type { CodeViewProps } from './CodeView';

const CodeView = lazy(() => import('./CodeView'));

/** Monaco is a few MB; only pull it in when a tab actually shows code. */
export function LazyCodeView(props: CodeViewProps) {
  return (
    <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
      <CodeView {...props} />
    </Suspense>
  );
}
