import { describe, expect, it } from 'vitest';
import {
  BUNDLED_RULE_FILES,
  bundledRules,
  trustedRuleFile,
} from '../../../src/main/analysis/rules/bundled-rules';
import { loadRuleFile } from '../../../src/main/analysis/rules/registry';
import { RuleFile } from '../../../src/shared/domain/rules';

/**
 * The bundled rule files are loaded without zod at run time (issue 15); the build validates
 * them (electron.vite.config.ts). These tests make sure the fast path loses nothing: each file
 * passes the same checks a user's file gets, and the trusted load gives exactly the rules the
 * schema would (its defaults included), so a default added to the schema cannot be missed.
 */
describe('bundled rules, trusted load', () => {
  for (const f of BUNDLED_RULE_FILES) {
    it(`${f.name}: passes the user-file checks and loads to exactly what the schema gives`, () => {
      const checked = loadRuleFile(f.json);
      const trusted = trustedRuleFile(f.json);
      expect(trusted.name).toBe(checked.name);
      expect(trusted.rules).toEqual(RuleFile.parse(f.json).rules);
      expect(trusted.rules).toEqual(checked.rules);
    });
  }

  it('ids are unique across the bundled files', () => {
    const ids = bundledRules().rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
