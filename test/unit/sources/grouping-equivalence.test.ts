import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFiles } from '../../../src/main/sources/group';
import { GROUPING_VERSION } from '../../../src/main/sources/scan-state';
import { groupingTree } from '../../helpers/grouping-tree';
import { groupingDigest } from '../../helpers/grouping-digest';

/**
 * Grouping must give exactly what it gave before the issue 15 memory work (commit c25dd2f's
 * group.ts): same incidents, ids, keys, times, files and roles, in the same order, on generated
 * roots with subfolders, logs at the edges of every pairing window and files out of order.
 * The expected hashes were computed with that group.ts; on a mismatch the digest is written
 * to a temporary file to diff against one made with the old group.ts.
 */
const EXPECTED: { seed: number; incidents: number; files: number; candidates: number; sha256: string }[] = [
  {
    seed: 15,
    incidents: 1500,
    files: 4779,
    candidates: 1993,
    sha256: 'f4ff3f76108b53e743a6fb6ed7c5704c9d8f66ccd0ad3b4e656696b5cfe240e8',
  },
  {
    seed: 7,
    incidents: 300,
    files: 947,
    candidates: 382,
    sha256: 'fdfa0f18871f2c2f36453ec7bbc9887cd813d76b6a70122f6f69ff3138e24c5d',
  },
];

describe('grouping is unchanged on generated roots', () => {
  it('is grouping version 1 (when these hashes change, bump GROUPING_VERSION and this number)', () => {
    // A rescan skips grouping when a record of an earlier scan says nothing changed
    // (scan-state.ts); records made by another grouping must not match.
    expect(GROUPING_VERSION).toBe(1);
  });

  // File mtimes become local wall-clock times: the hashes were taken in UTC.
  const tz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  for (const e of EXPECTED)
    it(`seed ${e.seed}, ${e.incidents} incidents`, () => {
      const files = groupingTree(e.seed, e.incidents);
      expect(files.length).toBe(e.files);
      const candidates = groupFiles('/g', files);
      const digest = groupingDigest(candidates);
      const sha = createHash('sha256').update(digest).digest('hex');
      if (sha !== e.sha256) {
        const out = join(tmpdir(), `grouping-seed${e.seed}.txt`);
        writeFileSync(out, digest);
        expect.fail(`grouping changed (${candidates.length} incidents, digest in ${out})`);
      }
      expect(candidates.length).toBe(e.candidates);
    });
});
