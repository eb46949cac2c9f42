import type { IssueReport } from '../../shared/contract/bundle';
import type { IncidentDetail } from '../../shared/domain/incident';
import { discoverItem, newSession, type BundleDeps } from './bundle-writer';
import { GITHUB_BODY_LIMIT, buildIssueMarkdown } from './issue-report';
import { planBundle } from './plan';
import type { ParsedCrashLog } from '../../shared/domain/crashlog';
import { readLogBytes } from '../analysis/crashlog/crashlog-analyzer';
import { analyzeDumpFile } from '../analysis/minidump/analyze-dump';
import { parseCrashLogDetailed } from '../formats/crashlog/parse-crashlog';
import type { IssueInput } from './issue-report';

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
  extra: Pick<IssueInput, 'confirmed'> = {},
): Promise<IssueReport> {
  const facts = new Map(incident.artifacts.map((a) => [a.id, deps.facts(a.id)]));
  const { crashLog, dumpStack } = await readEvidence(incident);
  const { markdown, truncated } = buildIssueMarkdown({
    incident,
    facts,
    appVersion: deps.appVersion,
    crashLog,
    dumpStack,
    ...extra,
  });
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

/**
 * The report's stack, versions, specs and load order come from the files as they are now: the
 * crash log parsed again, or the dump's crashing thread when there is no log. A file that cannot
 * be read leaves its sections out; the rest of the report stands.
 */
async function readEvidence(
  incident: IncidentDetail,
): Promise<{ crashLog: ParsedCrashLog | null; dumpStack?: string[] }> {
  const log = incident.artifacts.find((a) => a.role === 'crashlog');
  if (log) {
    try {
      return { crashLog: parseCrashLogDetailed(await readLogBytes(log.path), log.name).parsed };
    } catch {
      // Unreadable: fall back to the dump, if there is one.
    }
  }
  const dump = incident.artifacts.find((a) => a.role === 'dump');
  if (!dump) return { crashLog: null };
  try {
    const a = analyzeDumpFile(dump.path);
    return {
      crashLog: null,
      dumpStack: a.stack.map(
        (f) =>
          `[${f.index}] ${f.ip} ${f.module ? `${f.module}+${f.moduleOffset ?? ''}` : ''}${f.function ? ` ${f.function}` : ''} (${f.trust})`,
      ),
    };
  } catch {
    return { crashLog: null };
  }
}
