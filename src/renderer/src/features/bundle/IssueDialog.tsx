import { createPortal } from 'react-dom';
import { useBundleStore } from './bundle-store';
import { copyText } from './transfer';

/** Shows the issue text that was copied (or could not be), so nothing is pasted unseen. */
export function IssueDialog() {
  const issue = useBundleStore((s) => s.issue);
  const open = useBundleStore((s) => s.issueOpen);
  const copied = useBundleStore((s) => s.issueCopied);
  const close = useBundleStore((s) => s.closeIssue);
  if (!open || !issue) return null;
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal issue-dialog"
        role="dialog"
        aria-modal
        aria-labelledby="issue-title"
        data-testid="issue-dialog"
      >
        <h2 id="issue-title">Issue report</h2>
        <p className="muted small">
          {copied ? 'Copied to the clipboard. ' : 'The clipboard refused; select the text and copy it. '}
          {issue.length.toLocaleString()} of 65,536 characters (GitHub&apos;s limit), redacted like a public
          bundle.
          {issue.truncated.length > 0 && <> Shortened to fit: {issue.truncated.join(', ')}.</>}
        </p>
        <textarea
          className="mono issue-text"
          aria-label="Issue report (Markdown)"
          readOnly
          value={issue.markdown}
          data-testid="issue-text"
          onFocus={(e) => e.currentTarget.select()}
        />
        <div className="modal-actions">
          <button type="button" onClick={() => void copyText(issue.markdown)}>
            Copy again
          </button>
          <button type="button" className="primary" onClick={close} data-testid="issue-close">
            Done
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
