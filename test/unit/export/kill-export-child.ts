/**
 * Child process for the "killed export" test: exports a big synthetic log (made-up text) and
 * prints each progress phase, so the parent can kill it with SIGKILL half-way through.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBundle } from '../../../src/main/export/bundle-writer';
import { defaultRules } from '../../../src/main/privacy/rules';
import { fileIncident } from '../../helpers/file-incident';

const [dir, out] = process.argv.slice(2) as [string, string];
const log = join(dir, 'big.log');
writeFileSync(log, 'peer 203.0.113.57 said hello from C:\\Users\\someone\\Documents\r\n'.repeat(600_000));
const incident = fileIncident('kill', dir, [{ path: log, role: 'log' }], 'killed export');
void writeBundle(
  incident,
  { preset: 'public', includeEtl: false, stacksOnly: false },
  out,
  { appVersion: 'test', rules: defaultRules(), local: [], extraWords: [], facts: () => null },
  { onProgress: (p) => process.stdout.write(`${p.phase}\n`) },
);
