import type { IssueReport } from '../../shared/contract/bundle';
import type { IncidentDetail } from '../../shared/domain/incident';
import { discoverItem, newSession, type BundleDeps } from './bundle-writer';
import { GITHUB_BODY_LIMIT, buildIssueMarkdown } from './issue-report';
import { planBundle } from './plan';

/** Dumps up to this size are scanned whole for names; bigger ones by their strings only (speed). */
const FULL_DUMP_SCAN = 64 * 1024 * 1024;

/**
 * "Copy as issue": the Markdown, redacted the way a public bundle would be (same rules, the
 * names learned from the same files), unless the caller asks for the raw text.
 */
export async function issueReport(
  incident: IncidentDetail,
  deps: BundleDeps,
  redact: boolean,
  signal?: AbortSignal,
): Promise<IssueReport> {
  const facts = new Map(incident.artifacts.map((a) => [a.id, deps.facts(a.id)]));
  const { markdown, truncated } = buildIssueMarkdown({ incident, facts, appVersion: deps.appVersion });
  if (!redact) return { markdown, length: markdown.length, redacted: false, truncated };
  const session = newSession(deps);
  session.redactor.discover(markdown, 'issue');
  for (const it of await planBundle(incident, { preset: 'public', includeEtl: false })) {
    if (!it.included) continue;
    try {
      await discoverItem(session, it, { signal, stringsOnly: it.artifact.size > FULL_DUMP_SCAN });
    } catch {
      // An unreadable file teaches nothing; the rules still apply to the text itself.
    }
  }
  let out = session.redactString(markdown, 'issue');
  // Stand-ins can be longer than what they replace; the limit still holds.
  if (out.length > GITHUB_BODY_LIMIT) {
    out = `${out.slice(0, GITHUB_BODY_LIMIT - 120)}\n\n… (cut to fit GitHub's 65,536-character limit)\n`;
    truncated.push('body');
  }
  return { markdown: out, length: out.length, redacted: true, truncated };
}
