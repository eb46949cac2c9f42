import { describe, expect, it } from 'vitest';
import { staticClosure } from '../../helpers/import-graph';

/**
 * What every `analyze` run loads (issue 15: at most 2x the CPU of `node -e ''`). Its static import
 * graph, which the built CLI evaluates before it reads the input, must not reach zod (the bundled
 * rule and module files are checked at build time instead), SQLite, or the store, export, capture
 * and privacy code. Type-only imports are dropped here as in the build; dynamic imports (--rules,
 * --setup, a failing command's store error) load only when used and are left out. The cost itself
 * is measured by `npm run bench:cli`, not here.
 */

describe('analyze loads only what it uses', () => {
  const { files, packages } = staticClosure('src/main/cli/main.ts');
  const analyze = staticClosure('src/main/cli/commands/analyze.ts');
  const all = { files: [...files, ...analyze.files], packages: [...packages, ...analyze.packages] };

  it('no zod and no SQLite on the path', () => {
    expect(all.packages.filter((p) => p === 'zod' || p.startsWith('zod/'))).toEqual([]);
    expect(all.packages).not.toContain('better-sqlite3');
  });

  it('no package or built-in that costs more to load than a UTF-8 log takes to read', () => {
    // iconv-lite loads on the first legacy code page (text-encoding.ts); node:crypto came with
    // the store, node:fs/promises with the log reader (the callback API is used instead).
    for (const p of ['iconv-lite', 'node:crypto', 'crypto', 'node:fs/promises', 'fs/promises'])
      expect(all.packages).not.toContain(p);
  });

  it('no store, export, capture or privacy code, and no bundled JSON checked at run time', () => {
    expect(all.files.filter((f) => /^src\/main\/(store|export|capture|privacy)\//.test(f))).toEqual([]);
    expect(all.files).not.toContain('src/main/analysis/rules/registry.ts');
    expect(all.files).not.toContain('src/main/analysis/cause/roles-file.ts');
  });

  it('does read the bundled rule and module files (the check sees the real path)', () => {
    expect(analyze.files).toContain('resources/rules/skyrim.json');
    expect(analyze.files).toContain('resources/modules/roles.json');
  });
});
