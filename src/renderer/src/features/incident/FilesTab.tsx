import { useState } from 'react';
import type { Artifact, IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { errorMessage, formatBytes, isTextFile, languageFor } from '../../lib/format';
import { LazyCodeView } from '../../lib/monaco/LazyCodeView';
import { MANIFEST_MODEL_PREFIX } from '../../lib/monaco/paths';
import { ParsePill } from './badges';

interface Viewing {
  artifact: Artifact;
  text: string | null;
  truncated: boolean;
  error: string | null;
}

/** Every file of the incident with role, size and parse status; text files open in a viewer. */
export function FilesTab({ incident }: { incident: IncidentDetail }) {
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const notify = useAppStore((s) => s.notify);

  const view = async (a: Artifact) => {
    setViewing({ artifact: a, text: null, truncated: false, error: null });
    try {
      const r = await invoke('artifacts:readText', { artifactId: a.id });
      setViewing({ artifact: a, text: r.text, truncated: r.truncated, error: null });
    } catch (e) {
      setViewing({ artifact: a, text: null, truncated: false, error: errorMessage(e) });
    }
  };

  const reveal = async (a: Artifact) => {
    try {
      const r = await invoke('artifacts:reveal', { artifactId: a.id });
      if (!r.revealed) {
        // A browser cannot open the file manager: hand over the path instead.
        await navigator.clipboard?.writeText(r.path).catch(() => undefined);
        notify(`Path copied: ${r.path}`);
      }
    } catch (e) {
      notify(errorMessage(e), 'error');
    }
  };

  return (
    <div className={`files-tab${viewing ? ' with-viewer' : ''}`} data-testid="files-tab">
      <div className="files-table-wrap">
        <table className="data-table files-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Role</th>
              <th className="num">Size</th>
              <th>Parse</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {incident.artifacts.map((a) => (
              <tr
                key={a.id}
                data-testid="artifact-row"
                className={viewing?.artifact.id === a.id ? 'selected' : ''}
              >
                <td>
                  <div className="mono ellipsis" title={a.path}>
                    {a.name}
                  </div>
                  {a.parseError && <div className="parse-error small">{a.parseError}</div>}
                </td>
                <td>{a.role}</td>
                <td className="num mono nowrap">{formatBytes(a.size)}</td>
                <td>
                  <ParsePill status={a.parseStatus} />
                </td>
                <td className="actions nowrap">
                  {isTextFile(a.name) && (
                    <button type="button" onClick={() => void view(a)} data-testid="view-text">
                      View
                    </button>
                  )}
                  <button type="button" onClick={() => void reveal(a)} title={a.path}>
                    Reveal in folder
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {viewing && (
        <div className="viewer" data-testid="text-viewer">
          <div className="viewer-head">
            <span className="mono ellipsis">{viewing.artifact.name}</span>
            {viewing.truncated && <span className="muted small">(first part only; the file is larger)</span>}
            <span className="spacer" />
            <button type="button" onClick={() => setViewing(null)}>
              Close
            </button>
          </div>
          <div className="viewer-body">
            {viewing.error ? (
              <div className="banner error">{viewing.error}</div>
            ) : viewing.text === null ? (
              <div className="muted pad">Reading…</div>
            ) : (
              <LazyCodeView
                value={viewing.text}
                language={languageFor(viewing.artifact.name)}
                path={
                  viewing.artifact.role === 'manifest'
                    ? `${MANIFEST_MODEL_PREFIX}${viewing.artifact.id}.json`
                    : `inmemory://ctd/file/${viewing.artifact.id}/${encodeURIComponent(viewing.artifact.name)}`
                }
              />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
