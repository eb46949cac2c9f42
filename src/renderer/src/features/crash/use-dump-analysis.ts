import { useEffect, useState } from 'react';
import type { DumpAnalysis } from '../../../../shared/domain/minidump';
import { invoke } from '../../api/client';

export interface DumpState {
  artifactId: number | null;
  analysis: DumpAnalysis | null;
  error: string | null;
}

/** The analysis of an incident's dump; null while it is being read (or for a stale incident). */
export function useDumpAnalysis(incidentId: string): DumpState | null {
  const [state, setState] = useState<(DumpState & { id: string }) | null>(null);
  useEffect(() => {
    let live = true;
    invoke('crash:analyze', { incidentId })
      .then((r) => {
        if (live)
          setState({
            id: incidentId,
            artifactId: r.artifactId,
            analysis: r.analysis,
            error: r.error ?? (r.analysis ? null : 'This incident has no minidump.'),
          });
      })
      .catch((e: unknown) => {
        if (live)
          setState({
            id: incidentId,
            artifactId: null,
            analysis: null,
            error: e instanceof Error ? e.message : String(e),
          });
      });
    return () => {
      live = false;
    };
  }, [incidentId]);
  return state?.id === incidentId ? state : null;
}
