/**
 * Analysis worker (worker_threads): hashes and analyses artifact files for a scan while the
 * scanning thread walks folders and writes the index. It runs the same registered analyzers
 * as the scanning process; see analysis-pool.ts for the protocol.
 */
import { parentPort } from 'node:worker_threads';
import { analyzers } from '../analysis/analyzers';
import { RuleRegistry, type UserRulesConfig } from '../analysis/rules/registry';
import { analyseFile } from './analyse-file';
import type { PoolRequest, PoolResponse } from './analysis-pool';

const port = parentPort;
// The rules follow the configuration each request carries; the registry keeps the compiled set
// while it (and the user folder) stays the same.
let userRules: UserRulesConfig | null = null;
const registry = new RuleRegistry(() => userRules);
const env = { rules: () => registry.active() };
if (port) {
  port.on('message', (req: PoolRequest) => {
    userRules = req.userRules;
    void analyseFile(req.file, req.role, analyzers, env, true).then(
      (analysis) => {
        // Facts travel as the JSON the index stores; the rest of the output is small.
        const output = analysis.output ? { ...analysis.output, facts: undefined } : null;
        port.postMessage({ id: req.id, analysis: { ...analysis, output } } satisfies PoolResponse);
      },
      (e: unknown) => port.postMessage({ id: req.id, error: String(e) } satisfies PoolResponse),
    );
  });
}
