import type { IncidentDetail } from '../../../../shared/domain/incident';
import { useBundleStore } from './bundle-store';
import { ExportDialog } from './ExportDialog';
import { IssueDialog } from './IssueDialog';
import './bundle.css';

/** The incident header's share buttons: a bundle to attach, or Markdown to paste into an issue. */
export function ShareActions({ incident }: { incident: IncidentDetail }) {
  const openExport = useBundleStore((s) => s.openExport);
  const copyIssue = useBundleStore((s) => s.copyIssue);
  return (
    <div className="share-actions">
      <button
        type="button"
        onClick={() => void copyIssue(incident.id)}
        data-testid="copy-issue"
        title="Markdown for a GitHub or Nexus Mods bug report, redacted"
      >
        Copy as issue
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => openExport(incident)}
        data-testid="open-export"
      >
        Export bundle…
      </button>
      <ExportDialog />
      <IssueDialog />
    </div>
  );
}
