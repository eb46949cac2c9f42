import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import layers, { layerOf } from '../../../eslint/layers.mjs';

// RuleTester runs its cases through the test framework's describe/it.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = join(__dirname, '../../..');
const at = (rel: string) => join(root, rel);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

describe('layerOf', () => {
  it('names a file by its folder, the composition root by its file', () => {
    const cases: [string, string | null][] = [
      ['src/main/formats/minidump/reader.ts', 'formats'],
      ['src/main/analysis/trends/compute-trends.ts', 'analysis'],
      ['src/main/features/trends/handlers.ts', 'features'],
      ['src/main/context.ts', 'context'],
      ['src/main/dispatch-errors.ts', 'context'],
      ['src/main/workbench.ts', 'root'],
      ['src/main/platform/worker-script.ts', 'platform'],
      ['src/shared/domain/incident.ts', 'shared'],
      ['src/renderer/src/app/App.tsx', 'renderer'],
      ['test/unit/app/layers-lint.test.ts', null],
    ];
    for (const [path, layer] of cases)
      if (layerOf(path) !== layer) throw new Error(`${path}: ${layerOf(path)}`);
  });
});

tester.run('ctd/layers', layers, {
  valid: [
    {
      filename: at('src/main/formats/crashlog/common.ts'),
      code: "import { x } from '../common/exception-codes';",
    },
    {
      filename: at('src/main/formats/crashlog/common.ts'),
      code: "import type { X } from '../../../shared/domain/rules';",
    },
    {
      filename: at('src/main/analysis/analyzers.ts'),
      code: "import { bundleAnalyzer } from './bundle/bundle-analyzer';",
    },
    {
      filename: at('src/main/analysis/rules/registry.ts'),
      code: "import common from '../../../../resources/rules/common.json';",
    },
    { filename: at('src/main/store/sqlite-store.ts'), code: "import Database from 'better-sqlite3';" },
    {
      filename: at('src/main/sources/ingest.ts'),
      code: "import type { IncidentStore } from '../store/incident-store';",
    },
    {
      filename: at('src/main/features/crash/handlers.ts'),
      code: "import { NotFoundError } from '../../dispatch-errors';",
    },
    {
      filename: at('src/main/sources/analysis-pool.ts'),
      code: "import { startWorker } from '../platform/worker-script';",
    },
    {
      filename: at('src/main/privacy/scan-pool.ts'),
      code: "import { startWorker } from '../platform/worker-script';",
    },
    { filename: at('src/main/ipc.ts'), code: "import { ipcMain } from 'electron';" },
    { filename: at('src/preload/index.ts'), code: "import { contextBridge } from 'electron';" },
    {
      filename: at('src/renderer/src/api/client.ts'),
      code: "import type { X } from '../../../shared/contract/index';",
    },
    {
      filename: at('test/unit/app/x.test.ts'),
      code: "import { computeTrends } from '../../../src/main/analysis/trends/compute-trends';",
    },
  ],
  invalid: [
    {
      filename: at('src/main/formats/crashlog/common.ts'),
      code: "import { EXCEPTION_NAMES } from '../../analysis/minidump/explain';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/analysis/analyzers.ts'),
      code: "import { bundleAnalyzer } from '../export/bundle-analyzer';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/analysis/trends/x.ts'),
      code: "import type { IncidentStore } from '../../store/incident-store';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/analysis/trends/x.ts'),
      code: "const m = await import('../../sources/group');",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/analysis/trends/x.ts'),
      code: "import type Database from 'better-sqlite3';",
      errors: [{ messageId: 'pkg' }],
    },
    {
      filename: at('src/main/store/x.ts'),
      code: "export { analyzers } from '../analysis/analyzers';",
      errors: [{ messageId: 'layer' }],
    },
    {
      // Plumbing shared by services imports none of them.
      filename: at('src/main/platform/x.ts'),
      code: "import { analyseFile } from '../sources/analyse-file';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/analysis/x.ts'),
      code: "import { startWorker } from '../platform/worker-script';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/features/x/handlers.ts'),
      code: "import { run } from '../../cli/run';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/main/capture/addon.ts'),
      code: "import { app } from 'electron';",
      errors: [{ messageId: 'electron' }],
    },
    {
      filename: at('src/shared/domain/x.ts'),
      code: "import { readFileSync } from 'node:fs';",
      errors: [{ messageId: 'node' }],
    },
    {
      filename: at('src/shared/domain/x.ts'),
      code: "import { x } from '../../main/store/db';",
      errors: [{ messageId: 'layer' }],
    },
    {
      filename: at('src/renderer/src/x.ts'),
      code: "import { join } from 'path';",
      errors: [{ messageId: 'node' }],
    },
    {
      filename: at('src/renderer/src/x.ts'),
      code: "import type { Workbench } from '../../main/workbench';",
      errors: [{ messageId: 'layer' }],
    },
  ],
});
