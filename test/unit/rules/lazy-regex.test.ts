import { describe, expect, it } from 'vitest';
import { bundledRules } from '../../../src/main/analysis/rules/bundled-rules';
import { checkRuleRegexes, compileRules } from '../../../src/main/analysis/rules/engine';
import type { Rule } from '../../../src/shared/domain/rules';

// compileRules builds regexes on first use (issue 15: an analyze run reaches few rules), so a
// bad regex must be caught by checkRuleRegexes: at load for user files, here for the bundled ones.
describe('regexes built on first use', () => {
  it('every bundled regex compiles', () => {
    expect(() => checkRuleRegexes(bundledRules().rules)).not.toThrow();
  });

  it('a bad regex anywhere in a condition is found by the check, not by compileRules', () => {
    const rule = {
      id: 'x',
      game: 'any',
      severity: 'low',
      title: 't',
      explanation: 'e',
      fix: 'f',
      match: { all: [{ not: { module: { name: { regex: '(' } } } }] },
    } as unknown as Rule;
    expect(() => compileRules([rule])).not.toThrow();
    expect(() => checkRuleRegexes([rule])).toThrow(SyntaxError);
  });
});
