import { describe, expect, it } from 'vitest';
import { staticClosure } from '../../helpers/import-graph';

/**
 * What every `scan` loads before it looks at a file (issue 15: a no-change rescan within 3x of
 * stat-ing the tree, as whole CLI runs). The CLI calls the services directly, so the handler
 * table (every feature's handlers and the contract's schemas, workbench-handlers.ts) loads only
 * for the transports that serve it. The cost is measured by `npm run bench:scan`, not here.
 */
describe('scan does not load the handler table', () => {
  const cli = staticClosure('src/main/cli/main.ts');
  const scan = staticClosure('src/main/cli/commands/incidents.ts');
  const files = [...cli.files, ...scan.files];

  it('no feature table, dispatch or contract index on the path', () => {
    for (const f of [
      'src/main/workbench-handlers.ts',
      'src/main/features/index.ts',
      'src/main/dispatch.ts',
      'src/shared/contract/index.ts',
    ])
      expect(files).not.toContain(f);
  });

  it('does load the workbench, the store and the ingest pipeline (the check sees the real path)', () => {
    for (const f of ['src/main/workbench.ts', 'src/main/store/sqlite-store.ts', 'src/main/sources/ingest.ts'])
      expect(scan.files).toContain(f);
  });
});
