import { checkModuleFile } from './cause/roles-file';
import { loadRuleFile } from './rules/registry';

/**
 * The build step for the JSON that ships in resources/rules and resources/modules (run by
 * electron.vite.config.ts on each such file; the tests run it too). A file is checked as a
 * user's rule file is checked at run time (schema, regexes that compile, unique ids) or against
 * its module schema (cause/roles-file.ts); what would be refused throws, and so fails the build
 * instead of shipping. The app and the CLI then load the files without zod
 * (rules/bundled-rules.ts, cause/roles.ts): issue 15, where zod and ~240 rules through it cost
 * more CPU than a log's analysis.
 *
 * What the build can prepare further was measured (issue 15, the closing note of stop 27): compiling the rules
 * makes closures, which cannot be emitted as data, and the parts that could be precomputed
 * (implied sections ~0.7 ms, line-absence plans ~0.5 ms of a ~9 ms `bundledRuleSet()`) are not
 * worth a second form of the rules. The rest of that time is code running for the first time.
 */

/** Which bundled file a module id is, or null for any other file. */
export function bundledJsonFile(id: string): { dir: 'rules' | 'modules'; name: string } | null {
  const m = /[\\/]resources[\\/](rules|modules)[\\/]([^\\/]+\.json)$/.exec(id);
  return m ? { dir: m[1] as 'rules' | 'modules', name: m[2]! } : null;
}

/**
 * The JavaScript module the build emits for one bundled file, after its checks (which throw).
 * The data goes out as JSON.parse('…'): V8 reads ~200 KB of JSON text faster than the same data
 * as an object literal, and every CLI run pays for it.
 */
export function bundledJsonModule(file: { dir: 'rules' | 'modules'; name: string }, text: string): string {
  const json: unknown = JSON.parse(text);
  if (file.dir === 'rules') loadRuleFile(json);
  else checkModuleFile(file.name, json);
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(json))});`;
}
