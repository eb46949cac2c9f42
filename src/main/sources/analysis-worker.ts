/**
 * Analysis worker (worker_threads): hashes and analyses artifact files for a scan while the
 * scanning thread walks folders and writes the index. It runs the same registered analyzers
 * as the scanning process; see analysis-pool.ts for the protocol.
 */
import { parentPort } from 'node:worker_threads';
import { analyzers } from '../analysis/analyzers';
import { configureUserRules } from '../analysis/rules/registry';
import { analyseFile } from './analyse-file';
import type { PoolRequest, PoolResponse } from './analysis-pool';

const port = parentPort;
let rulesKey: string | null = null;
if (port) {
  port.on('message', (req: PoolRequest) => {
    // Reconfiguring drops the compiled rules: only do it when the configuration changed.
    const key = JSON.stringify(req.userRules);
    if (key !== rulesKey) {
      configureUserRules(req.userRules);
      rulesKey = key;
    }
    void analyseFile(req.file, req.role, analyzers, true).then(
      (analysis) => {
        // Facts travel as the JSON the index stores; the rest of the output is small.
        const output = analysis.output ? { ...analysis.output, facts: undefined } : null;
        port.postMessage({ id: req.id, analysis: { ...analysis, output } } satisfies PoolResponse);
      },
      (e: unknown) => port.postMessage({ id: req.id, error: String(e) } satisfies PoolResponse),
    );
  });
}
