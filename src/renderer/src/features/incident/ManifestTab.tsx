import { useCallback, useEffect, useState } from 'react';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { LazyCodeView } from '../../lib/monaco/LazyCodeView';
import { MANIFEST_MODEL_PREFIX } from '../../lib/monaco/paths';
import { ParsePill } from './badges';

export function hasManifest(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'manifest');
}

/** The SkyrimDiag incident manifest, read-only, validated against its schema. */
export function ManifestTab({ incident }: { incident: IncidentDetail }) {
  const manifest = incident.artifacts.find((a) => a.role === 'manifest');
  const [state, setState] = useState<{ text: string | null; error: string | null }>({
    text: null,
    error: null,
  });
  const [markers, setMarkers] = useState<number | null>(null);
  const onMarkers = useCallback((n: number) => setMarkers(n), []);

  useEffect(() => {
    if (!manifest) return;
    let live = true;
    invoke('artifacts:readText', { artifactId: manifest.id })
      .then((r) => live && setState({ text: r.text, error: null }))
      .catch((e: unknown) => live && setState({ text: null, error: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [manifest]);

  if (!manifest) return <div className="pad muted">This incident has no manifest.</div>;
  return (
    <div className="manifest-tab" data-testid="manifest-tab">
      <div className="viewer-head">
        <span className="mono ellipsis" title={manifest.path}>
          {manifest.name}
        </span>
        <ParsePill status={manifest.parseStatus} />
        {markers !== null && (
          <span className={markers > 0 ? 'schema-problems' : 'muted small'} data-testid="schema-problems">
            {markers > 0
              ? `${markers} problem${markers === 1 ? '' : 's'} against the SkyrimDiagIncident v1 schema`
              : 'Valid against the SkyrimDiagIncident v1 schema'}
          </span>
        )}
      </div>
      {manifest.parseError && <div className="banner error">{manifest.parseError}</div>}
      {state.error && <div className="banner error">{state.error}</div>}
      <div className="viewer-body">
        {state.text !== null && (
          <LazyCodeView
            value={state.text}
            language="json"
            path={`${MANIFEST_MODEL_PREFIX}${manifest.id}.json`}
            onMarkers={onMarkers}
          />
        )}
      </div>
    </div>
  );
}
