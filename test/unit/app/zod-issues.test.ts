import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues, issuePath } from '../../../src/shared/zod-issues';

const Query = z.object({ days: z.number().int().min(0), top: z.number().int(), tags: z.array(z.string()) });

function errorOf(value: unknown) {
  const r = Query.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error;
}

describe('the one zod-issue formatter', () => {
  it('joins "path: message" for every issue, or the first few', () => {
    const e = errorOf({ days: -1, top: 'x', tags: ['a', 2] });
    expect(e.issues).toHaveLength(3);
    const all = formatIssues(e);
    expect(all.split('; ').map((p) => p.slice(0, p.indexOf(':')))).toEqual(['days', 'top', 'tags.1']);
    expect(formatIssues(e, { max: 1 })).toBe(all.split('; ')[0]);
  });

  it('spells paths as CLI flags with a prefix and names the whole value at the root', () => {
    expect(formatIssues(errorOf({ days: 1.5, top: 1, tags: [] }), { prefix: '--' })).toMatch(/^--days: /);
    const root = errorOf('not an object');
    expect(formatIssues(root)).toMatch(/^\(root\): /);
    expect(formatIssues(root, { root: '(file)' })).toMatch(/^\(file\): /);
    expect(issuePath(root.issues[0]!)).toBe('(root)');
  });
});
