import { useEffect, useMemo } from 'react';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { formatTime } from '../../lib/format';
import { KindBadge, SOURCE_LABEL, StatusPill } from './badges';
import { useDetailStore } from './detail-store';
import { detailTabs } from './tabs';
import { ShareActions } from '../bundle/ShareActions';

/** One incident: header plus the registered tabs that apply to it. */
export function IncidentDetailView({ onBack }: { onBack(): void }) {
  const detail = useDetailStore((s) => s.detail);
  const loading = useDetailStore((s) => s.loading);
  const error = useDetailStore((s) => s.error);
  const tab = useDetailStore((s) => s.tab);
  const setTab = useDetailStore((s) => s.setTab);

  const tabs = useMemo(() => (detail ? detailTabs.filter((t) => safeWhen(t.when, detail)) : []), [detail]);
  const active = tabs.find((t) => t.id === tab) ?? tabs[0];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+1..9 jumps between tabs without leaving the keyboard.
      if ((e.ctrlKey || e.metaKey) && /^[1-9]$/.test(e.key)) {
        const t = tabs[Number(e.key) - 1];
        if (t) {
          e.preventDefault();
          setTab(t.id);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tabs, setTab]);

  return (
    <div className="detail-view" data-testid="detail-view">
      <header className="detail-head">
        <button
          type="button"
          className="back"
          onClick={onBack}
          title="Back to the list (Esc)"
          data-testid="back"
        >
          ← Incidents
        </button>
        {detail && (
          <div className="detail-title">
            <KindBadge kind={detail.kind} />
            <h1 className="ellipsis" title={detail.title} data-testid="detail-title">
              {detail.title || '(no verdict yet)'}
            </h1>
            <StatusPill status={detail.status} />
            <ShareActions incident={detail} />
          </div>
        )}
        {detail && (
          <div className="detail-sub muted">
            <span className="mono">{formatTime(detail.capturedAt)}</span>
            <span>{SOURCE_LABEL[detail.source] ?? detail.source}</span>
            {detail.signature && (
              <span className="mono ellipsis" title={detail.signature}>
                {detail.signature}
              </span>
            )}
            <span className="mono ellipsis" title={detail.folder}>
              {detail.folder}
            </span>
          </div>
        )}
      </header>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {!detail && loading && <div className="pad muted">Loading…</div>}
      {detail && (
        <>
          <nav className="tabs" role="tablist">
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={t.id === active?.id}
                className={t.id === active?.id ? 'active' : ''}
                data-testid={`tab-${t.id}`}
                onClick={() => setTab(t.id)}
              >
                {typeof t.label === 'string' ? t.label : t.label(detail)}
              </button>
            ))}
          </nav>
          <div className="tab-body" role="tabpanel">
            {active && <active.Component key={`${detail.id}:${active.id}`} incident={detail} />}
          </div>
        </>
      )}
    </div>
  );
}

function safeWhen(when: (d: IncidentDetail) => boolean, d: IncidentDetail): boolean {
  try {
    return when(d);
  } catch {
    // One feature's predicate failing must not hide the core tabs.
    return false;
  }
}
