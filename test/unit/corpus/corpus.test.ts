import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, readCorpus, redactPublic, splitOf } from '../../corpus/corpus';

/** The corpus itself: complete, split as its ids say, and redacted (redacting again changes nothing). */
describe('real-world crash-log corpus', () => {
  const entries = readCorpus();

  it('has one log per entry, unique ids, and no stray files', () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const e of entries) expect(existsSync(join(CORPUS_DIR, e.file)), e.file).toBe(true);
    const logs = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.log'));
    expect(logs.sort()).toEqual(entries.map((e) => e.file).sort());
  });

  it('splits dev/holdout by the hash of the id', () => {
    for (const e of entries) expect(e.split, e.id).toBe(splitOf(e.id));
    const holdout = entries.filter((e) => e.split === 'holdout').length;
    expect(holdout).toBeGreaterThan(0);
    expect(holdout).toBeLessThan(entries.length);
  });

  it('holds only logs the public redaction has already cleaned', () => {
    for (const e of entries) {
      const buf = readFileSync(join(CORPUS_DIR, e.file));
      const { out, hits } = redactPublic(buf);
      expect(hits, e.id).toBe(0);
      expect(out.equals(buf), e.id).toBe(true);
    }
  });
});
