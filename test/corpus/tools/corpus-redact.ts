/**
 * Adds crash logs to the real-world corpus (test/corpus/crashlogs): each raw paste is passed
 * through the project's own public redaction (the built-in rules of src/main/privacy, one
 * session per log, the same discover-then-redact passes a public bundle makes) and written as
 * <id>.log. The raw pastes are never committed.
 *
 *   npx tsx test/corpus/tools/corpus-redact.ts <raw-dir>
 *
 * For every entry of corpus.json whose raw file <raw-dir>/<id>.txt exists, the log is
 * (re)written, its holdout/dev split is fixed from the hash of its id (so the split never
 * depends on how any model ranks the log), and PROVENANCE.md is regenerated from corpus.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CORPUS_DIR, readCorpus, redactPublic, splitOf, type CorpusEntry } from '../corpus';

function redactionCommit(): string {
  try {
    return execFileSync(
      'git',
      ['log', '-1', '--format=%h', '--', 'src/main/privacy', 'resources/redaction'],
      {
        encoding: 'utf8',
      },
    ).trim();
  } catch {
    return 'unknown';
  }
}

function provenance(entries: CorpusEntry[]): string {
  const rows = entries.map(
    (e) =>
      `| ${e.id} | ${e.split} | ${e.game} | ${e.logger}${e.partial ? ' (partial)' : ''} | ${e.culprit.files.map((f) => `\`${f}\``).join(', ')} (${e.culprit.mod}) | ${e.established} | [thread](${e.url}) | ${e.redaction ?? '-'} |`,
  );
  const by = (k: (e: CorpusEntry) => string) => {
    const m = new Map<string, number>();
    for (const e of entries) m.set(k(e), (m.get(k(e)) ?? 0) + 1);
    return [...m].map(([n, c]) => `${n} ${c}`).join(', ');
  };
  return `# Real-world crash-log corpus: provenance

Crash logs pasted into public issue threads whose thread establishes what caused the crash.
Generated from \`corpus.json\` by \`test/corpus/tools/corpus-redact.ts\`; edit corpus.json, not
this table.

- Every log passed through the project's own public redaction (built-in rules of
  \`src/main/privacy\`, one redaction session per log, no local identities) before it was stored;
  the last column is the commit of \`src/main/privacy\` + \`resources/redaction\` that redacted it.
  Nothing was hand-edited, except that markdown the issue tracker wrapped around a paste (code
  fences, quote markers \`> \`, an attachment link pasted into the middle of a line) is not part
  of the log and was left out. Each log is exactly as much as the thread shows: a paste cut
  short stays cut short, and is marked partial.
- \`split\`: about one log in three is \`holdout\`, chosen from the SHA-256 of the id before any
  model ranked it (\`splitOf\` in test/corpus/corpus.ts).
- "Established" says how the thread settles the cause. Logs whose thread only guesses were
  not taken.

Totals: ${entries.length} logs; ${by((e) => e.split)}; ${by((e) => e.game)}; ${by((e) => e.logger)}; partial ${entries.filter((e) => e.partial).length}.

| id | split | game | logger | established culprit (file, mod) | how it was established | source | redaction |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}

function main(): void {
  const rawDir = process.argv[2];
  if (!rawDir) throw new Error('usage: corpus-redact.ts <raw-dir>');
  const entries = readCorpus();
  const commit = redactionCommit();
  let written = 0;
  for (const e of entries) {
    e.split = splitOf(e.id);
    const raw = join(resolve(rawDir), `${e.id}.txt`);
    if (!existsSync(raw)) continue;
    const { out, hits } = redactPublic(readFileSync(raw));
    writeFileSync(join(CORPUS_DIR, e.file), out);
    e.redaction = commit;
    written++;
    console.log(`${e.id}: ${hits} value(s) redacted`);
  }
  const missing = entries.filter((e) => !existsSync(join(CORPUS_DIR, e.file)));
  if (missing.length) throw new Error(`no log for: ${missing.map((e) => e.id).join(', ')}`);
  writeFileSync(join(CORPUS_DIR, 'corpus.json'), `${JSON.stringify(entries, null, 2)}\n`);
  writeFileSync(join(CORPUS_DIR, 'PROVENANCE.md'), provenance(entries));
  console.log(`${written} log(s) written, ${entries.length} in the corpus`);
}

main();
