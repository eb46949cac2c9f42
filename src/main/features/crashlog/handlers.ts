import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Handlers } from '../../../shared/contract/index';
import type { CrashLogRules } from '../../../shared/domain/crashlog';
import { analyzeCrashLogBuffer, readLogBytes } from '../../analysis/crashlog/crashlog-analyzer';
import type { UserRulesConfig } from '../../analysis/rules/registry';
import type { WorkbenchContext } from '../../context';
import type { ArtifactRef } from '../../../shared/contract/define';
import { resolveArtifact } from '../artifact-ref';
import { ParseError } from '../../formats/common/parse-error';
import { decodeText } from '../../formats/common/text-encoding';

type CrashlogHandlers = Pick<Handlers, 'crashlog:parsed' | 'crashlog:rules' | 'crashlog:setRules'>;

/** Settings key: whether the user's rule folder is read. */
export const USER_RULES_SETTING = 'crashlogUserRules';
const MAX_VIEW_CHARS = 8 * 1024 * 1024;

/** Where a workbench's user rules live (<data dir>/rules) and whether they are on (a setting). */
export function userRulesConfig(
  dataDir: string,
  settings: Pick<WorkbenchContext['store'], 'getSetting'>,
): UserRulesConfig {
  return {
    folder: join(dataDir, 'rules'),
    enabled: settings.getSetting<boolean>(USER_RULES_SETTING, false) === true,
  };
}

/**
 * `crashlog:*`. Logs are re-read from disk on each request (files are the truth) and the
 * findings come from the workbench's rules in force now (ctx.rules, which reads the setting
 * below), so a new rule file shows without a rescan.
 */
export function crashlogHandlers(ctx: WorkbenchContext): CrashlogHandlers {
  // Read lazily: a factory must not touch the context while the handler table is built.
  const config = () => userRulesConfig(ctx.dataDir, ctx.store);
  const info = (): CrashLogRules => {
    const c = config();
    return { sets: ctx.rules.active().sets, userFolder: c.folder, userRulesEnabled: c.enabled };
  };
  const resolve = (ref: ArtifactRef) => resolveArtifact(ctx.store, ref, 'crashlog', 'a crash log');
  return {
    'crashlog:parsed': async (req) => {
      const a = resolve(req);
      if (!a) return { artifactId: null, analysis: null, text: null, truncated: false, error: null };
      let bytes: Buffer;
      try {
        bytes = await readLogBytes(a.path);
      } catch (e) {
        return {
          artifactId: a.id,
          analysis: null,
          text: null,
          truncated: false,
          error: (e as Error).message,
        };
      }
      const decoded = decodeText(bytes).text;
      const text = decoded.length > MAX_VIEW_CHARS ? decoded.slice(0, MAX_VIEW_CHARS) : decoded;
      try {
        return {
          artifactId: a.id,
          analysis: analyzeCrashLogBuffer(bytes, basename(a.path), ctx.rules.active()),
          text,
          truncated: decoded.length > MAX_VIEW_CHARS,
          error: null,
        };
      } catch (e) {
        if (e instanceof ParseError)
          return {
            artifactId: a.id,
            analysis: null,
            text,
            truncated: decoded.length > MAX_VIEW_CHARS,
            error: e.message,
          };
        throw e;
      }
    },
    'crashlog:rules': () => info(),
    'crashlog:setRules': (req) => {
      ctx.store.setSetting(USER_RULES_SETTING, req.userRulesEnabled);
      if (req.userRulesEnabled) mkdirSync(config().folder, { recursive: true });
      return info();
    },
  };
}
