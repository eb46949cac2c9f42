import { describe, expect, it } from 'vitest';
import { staticClosure } from '../../helpers/import-graph';

/**
 * What every `scan` loads before it looks at a file (issue 15: a no-change rescan within 3x of
 * stat-ing the tree, as whole CLI runs). The CLI calls the services directly, so the handler
 * table (every feature's handlers and the contract's schemas, workbench-handlers.ts) loads only
 * for the transports that serve it; the workbench itself loads only once a folder turns out to
 * have changed. The cost is measured by `npm run bench:scan`, not here.
 */
describe('what scan loads at start', () => {
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

  it('loads no workbench, analyzer, grouping, rules, setup or export code before it knows a folder changed', () => {
    // A no-change rescan answers from the index and the walk alone (sources/scan-state.ts);
    // the rest comes with `import()` when a folder changed.
    for (const f of [
      'src/main/workbench.ts',
      'src/main/sources/ingest.ts',
      'src/main/sources/group.ts',
      'src/main/sources/folder-sources.ts',
      'src/main/analysis/analyzers.ts',
      'src/main/analysis/rules/registry.ts',
      'src/main/sources/setup/setup-service.ts',
      'src/main/features/bundle/handlers.ts',
    ])
      expect(files).not.toContain(f);
    expect(files.filter((f) => /^src\/main\/(export|privacy|capture|analysis)\//.test(f))).toEqual([]);
  });

  it('loads no zod schema before it knows a folder changed', () => {
    // The index is opened and listed without validating anything: the store's base module
    // (store-schemas.ts); the schemas come with the workbench.
    for (const f of [
      'src/main/store/sqlite-store.ts',
      'src/shared/domain/incident.ts',
      'src/shared/domain/setup.ts',
      'src/shared/domain/rules.ts',
      'src/shared/domain/finding.ts',
    ])
      expect(files).not.toContain(f);
  });

  it('does load the store, the walk and the no-change check (the check sees the real path)', () => {
    for (const f of [
      'src/main/store/sqlite-store-base.ts',
      'src/main/store/index-probe.ts',
      'src/main/sources/walk.ts',
      'src/main/sources/scan-state.ts',
    ])
      expect(scan.files).toContain(f);
  });
});
