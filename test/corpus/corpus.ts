import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HitCounter } from '../../src/main/privacy/redactor';
import { defaultRules } from '../../src/main/privacy/rules';
import { RedactionSession } from '../../src/main/privacy/session';

/**
 * The real-world crash-log corpus (test/corpus/crashlogs): logs from public issue threads whose
 * thread established the cause, each with its provenance. See PROVENANCE.md there.
 */
export const CORPUS_DIR = join(__dirname, 'crashlogs');

export const CorpusEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    file: z.string().regex(/^[a-z0-9][a-z0-9-]*\.log$/),
    url: z.string().url(),
    logger: z.enum(['crashlogger', 'netscriptframework', 'trainwreck', 'buffout4']),
    game: z.enum(['skyrim', 'skyrimvr', 'fallout4']),
    gameVersion: z.string().nullable(),
    culprit: z
      .object({
        /** File names that count as a hit in the top 3 (any one of them). */
        files: z.array(z.string().min(1)).min(1),
        mod: z.string().min(1),
      })
      .strict(),
    established: z.string().min(10),
    partial: z.boolean(),
    /** What the paste lacks, for partial logs. */
    missing: z.array(z.string()).default([]),
    split: z.enum(['dev', 'holdout']),
    /** Commit of the redaction code that produced the stored log. */
    redaction: z.string().optional(),
  })
  .strict();
export type CorpusEntry = z.infer<typeof CorpusEntry>;

/** One log in three (by the first byte of the id's SHA-256) is held out; fixed before ranking. */
export function splitOf(id: string): 'dev' | 'holdout' {
  const b = createHash('sha256').update(id).digest()[0]!;
  return b % 3 === 0 ? 'holdout' : 'dev';
}

export function readCorpus(): CorpusEntry[] {
  const raw = JSON.parse(readFileSync(join(CORPUS_DIR, 'corpus.json'), 'utf8')) as unknown;
  return z.array(CorpusEntry).parse(raw);
}

/**
 * A text through the project's public redaction: the built-in rules, one session, the discover
 * then redact passes a public bundle makes. No local identities: the machine running this is not
 * the one that wrote the log.
 */
export function redactPublic(buf: Buffer): { out: Buffer; hits: number } {
  const s = new RedactionSession({ rules: defaultRules(), local: [] });
  const key = 'file:1';
  s.engine.scan(buf, 'text', 'discover', key);
  const c = new HitCounter();
  const out = s.engine.rewrite(buf, s.engine.scan(buf, 'text', 'redact', key), c, key, s.tokenOf);
  return { out, hits: c.total };
}
