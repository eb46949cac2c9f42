import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledJsonFile, bundledJsonModule } from '../../../src/main/analysis/bundled-json';
import { trustedRuleFile } from '../../../src/main/analysis/rules/bundled-rules';
import { loadRuleFile } from '../../../src/main/analysis/rules/registry';

/**
 * The build step for resources/rules and resources/modules (electron.vite.config.ts runs it on
 * each file): what it emits is the file's data, the run-time path (trustedRuleFile, no zod)
 * turns that into exactly the rules a checked load gives, and a file that would be refused
 * throws, so it fails the build instead of shipping.
 */

const ROOT = join(__dirname, '..', '..', '..', 'resources');
const files = (dir: 'rules' | 'modules') =>
  readdirSync(join(ROOT, dir))
    .filter((n) => n.endsWith('.json'))
    .map((name) => ({ dir, name, text: readFileSync(join(ROOT, dir, name), 'utf8') }));

/** The value of an emitted module (`export default JSON.parse("…");`). */
function emitted(code: string): unknown {
  const m = /^export default JSON\.parse\(("(?:[^"\\]|\\.)*")\);$/.exec(code);
  if (!m) throw new Error(`unexpected module: ${code.slice(0, 80)}`);
  return JSON.parse(JSON.parse(m[1]!) as string);
}

const skyrim = files('rules').find((f) => f.name === 'skyrim.json')!;
type RuleJson = { rules: Record<string, unknown>[] };
/** skyrim.json with one change made to a copy of its first rule list. */
function withRules(change: (rules: Record<string, unknown>[]) => void): string {
  const json = JSON.parse(skyrim.text) as RuleJson;
  change(json.rules);
  return JSON.stringify(json);
}

describe('bundled JSON build step', () => {
  it('knows the bundled files by path, on POSIX and Windows, and nothing else', () => {
    expect(bundledJsonFile('/src/app/resources/rules/skyrim.json')).toEqual({
      dir: 'rules',
      name: 'skyrim.json',
    });
    expect(bundledJsonFile('C:\\app\\resources\\modules\\roles.json')).toEqual({
      dir: 'modules',
      name: 'roles.json',
    });
    expect(bundledJsonFile('/src/app/resources/rules/sub/x.json')).toBeNull();
    expect(bundledJsonFile('/src/app/resources/other/x.json')).toBeNull();
    expect(bundledJsonFile('/src/app/resources/rules/README.md')).toBeNull();
  });

  for (const f of [...files('rules'), ...files('modules')]) {
    it(`${f.dir}/${f.name}: emits exactly the file's data`, () => {
      expect(emitted(bundledJsonModule(f, f.text))).toEqual(JSON.parse(f.text));
    });
  }

  for (const f of files('rules')) {
    it(`rules/${f.name}: the run-time load of what is emitted equals the checked load`, () => {
      const checked = loadRuleFile(JSON.parse(f.text));
      const runtime = trustedRuleFile(emitted(bundledJsonModule(f, f.text)));
      expect(runtime.name).toBe(checked.name);
      expect(runtime.rules).toEqual(checked.rules);
    });
  }

  it('a rule file the schema refuses fails the build', () => {
    const text = withRules((r) => (r[0]!.severity = 'catastrophic'));
    expect(() => bundledJsonModule({ dir: 'rules', name: 'skyrim.json' }, text)).toThrow(/severity/);
  });

  it('a regex that does not compile fails the build', () => {
    const text = withRules((r) =>
      r.push({ ...r[0]!, id: 'bad-regex', match: { mainError: { regex: '(unclosed' } } }),
    );
    expect(() => bundledJsonModule({ dir: 'rules', name: 'skyrim.json' }, text)).toThrow(
      /regular expression/i,
    );
  });

  it('an id used twice fails the build', () => {
    const text = withRules((r) => r.push({ ...r[1]!, id: r[0]!.id }));
    expect(() => bundledJsonModule({ dir: 'rules', name: 'skyrim.json' }, text)).toThrow(/used twice/);
  });

  it('a module file its schema refuses, an unknown module file and text that is not JSON fail the build', () => {
    const roles = files('modules').find((f) => f.name === 'roles.json')!;
    expect(() =>
      bundledJsonModule(roles, JSON.stringify({ ...JSON.parse(roles.text), version: 'x' })),
    ).toThrow();
    expect(() => bundledJsonModule({ dir: 'modules', name: 'new.json' }, '{}')).toThrow(/no schema/);
    expect(() =>
      bundledJsonModule({ dir: 'rules', name: 'skyrim.json' }, skyrim.text.slice(0, 100)),
    ).toThrow();
  });
});
