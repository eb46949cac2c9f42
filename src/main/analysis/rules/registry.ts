import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RuleFile, type Rule, type RuleSetInfo } from '../../../shared/domain/rules';
import { buildRuleSet, bundledRuleSet, type ActiveRules } from './bundled-rules';
import { checkRuleConditions, checkRuleRegexes } from './engine';
import { fileNameOf, parseJsonText } from '../../../shared/text';
import { formatIssues } from '../../../shared/zod-issues';

export { buildRuleSet, bundledRuleSet, bundledRules, type ActiveRules } from './bundled-rules';

/**
 * The rules in force: the bundled files in resources/rules (bundled-rules.ts) plus, when the user turned it on,
 * every *.json in their rules folder (default <data dir>/rules). A user rule with the id of a
 * bundled one replaces it. User files are re-read when the folder's listing or mtimes change.
 */

const MAX_USER_FILES = 100;
const MAX_USER_FILE_BYTES = 2 * 1024 * 1024;

export interface UserRulesConfig {
  folder: string;
  enabled: boolean;
}

/** Validates one rule file; regexes are compiled here so a bad one is reported, not thrown later. */
export function loadRuleFile(json: unknown): { rules: Rule[]; name: string } {
  const parsed = RuleFile.safeParse(json);
  if (!parsed.success) throw new Error(formatIssues(parsed.error, { max: 5, root: '(file)' }));
  checkRuleConditions(parsed.data.rules);
  checkRuleRegexes(parsed.data.rules);
  const ids = new Set<string>();
  for (const r of parsed.data.rules) {
    if (ids.has(r.id)) throw new Error(`rule id "${r.id}" is used twice`);
    ids.add(r.id);
  }
  return { rules: parsed.data.rules, name: parsed.data.name };
}

function listUserFiles(folder: string): { path: string; mtimeMs: number; size: number }[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.toLowerCase().endsWith('.json'))
    .sort()
    .slice(0, MAX_USER_FILES)
    .flatMap((n) => {
      try {
        const st = statSync(join(folder, n));
        return st.isFile() ? [{ path: join(folder, n), mtimeMs: st.mtimeMs, size: st.size }] : [];
      } catch {
        return [];
      }
    });
}

export function loadUserRules(folder: string): { rules: Rule[]; sets: RuleSetInfo[] } {
  const rules: Rule[] = [];
  const sets: RuleSetInfo[] = [];
  for (const f of listUserFiles(folder)) {
    try {
      if (f.size > MAX_USER_FILE_BYTES) throw new Error(`larger than ${MAX_USER_FILE_BYTES} bytes`);
      const loaded = loadRuleFile(parseJsonText(readFileSync(f.path, 'utf8')));
      rules.push(...loaded.rules);
      sets.push({ name: loaded.name, origin: 'user', path: f.path, rules: loaded.rules.length, error: null });
    } catch (e) {
      sets.push({
        name: fileNameOf(f.path),
        origin: 'user',
        path: f.path,
        rules: 0,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return { rules, sets };
}

/**
 * One workbench's rules in force (WorkbenchContext.rules; an analysis worker keeps its own).
 * `config` is read on each use, so the remembered setting can change at run time; the
 * compiled set is kept until the configuration or the user folder's listing/mtimes change.
 * An instance, not module state: two workbenches in one process keep their own rules.
 */
export class RuleRegistry {
  private cache: { key: string; rules: ActiveRules } | null = null;

  constructor(private readonly config: () => UserRulesConfig | null = () => null) {}

  /** The user-rules configuration now; null when there is none or it cannot be read. */
  userConfig(): UserRulesConfig | null {
    try {
      return this.config();
    } catch {
      // A closed store (workbench shut down) means no user rules, not a failed analysis.
      return null;
    }
  }

  active(): ActiveRules {
    const config = this.userConfig();
    if (!config?.enabled) return bundledRuleSet();
    const files = listUserFiles(config.folder);
    const key = `${config.folder}|${files.map((f) => `${f.path}:${f.mtimeMs}:${f.size}`).join('|')}`;
    if (this.cache?.key === key) return this.cache.rules;
    const rules = buildRuleSet(loadUserRules(config.folder));
    this.cache = { key, rules };
    return rules;
  }
}
