import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../../shared/contract/index';
import { sortKeyOfLocalIso } from '../../../shared/domain/local-time';
import { confirmedCausesRuleFile, learnedKeys } from '../../analysis/rules/learned';
import { loadRuleFile } from '../../analysis/rules/registry';
import { culpritKeyOfName } from '../../analysis/signature/culprit';
import type { WorkbenchContext } from '../../context';
import { BadRequestError, NotFoundError } from '../../dispatch-errors';
import { userRulesConfig } from '../crashlog/handlers';
import { parseJsonText } from '../../../shared/text';

type CausesHandlers = Pick<
  Handlers,
  | 'causes:forIncident'
  | 'causes:confirm'
  | 'causes:remove'
  | 'causes:list'
  | 'causes:exportRules'
  | 'causes:importRules'
>;

/** A file name for the user's rules folder: letters, digits, dashes, dots; always .json. */
function safeFileName(name: string): string {
  const base = name
    .replace(/\.json$/i, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${base || 'imported-rules'}.json`;
}

/** `causes:*`: the confirmed-cause store (store/confirmed-causes.ts) keyed by the two-level signature. */
export function causesHandlers(ctx: WorkbenchContext): CausesHandlers {
  const incident = (id: string) => {
    const d = ctx.store.get(id);
    if (!d) throw new NotFoundError(`No incident ${id}`);
    return d;
  };
  return {
    'causes:forIncident': ({ id }) => {
      const d = incident(id);
      const bucket = d.signature;
      const culpritKey = d.culpritKey ?? null;
      return {
        bucket,
        culpritKey,
        confirmed: ctx.store.causes.matching(bucket, culpritKey),
        regressed: ctx.store.causes.regression({
          id: d.id,
          signature: bucket,
          capturedMs: sortKeyOfLocalIso(d.capturedAt),
          status: d.status,
        }),
      };
    },
    'causes:confirm': (req) => {
      const d = incident(req.incidentId);
      const culpritKey = req.culprit ? culpritKeyOfName(req.culprit) : (d.culpritKey ?? null);
      if (!d.signature && !culpritKey)
        throw new BadRequestError(
          'This incident has no bucket or probable culprit yet, so a later crash could not be matched: name the culprit file.',
        );
      const c = ctx.store.causes.add({
        incidentId: d.id,
        bucket: d.signature,
        culpritKey,
        cause: req.cause,
        fix: req.fix,
        fixed: req.fixed,
        incidentCapturedMs: sortKeyOfLocalIso(d.capturedAt),
        origin: 'local',
        source: null,
      });
      if (req.fixed && d.status !== 'fixed') ctx.store.setStatus(d.id, 'fixed');
      ctx.emit('incidents:changed', { ids: [d.id], reason: 'cause confirmed' });
      return c;
    },
    'causes:remove': ({ id }) => {
      const ok = ctx.store.causes.remove(id);
      if (ok) ctx.emit('incidents:changed', { ids: [], reason: 'cause removed' });
      return { ok };
    },
    'causes:list': () => ctx.store.causes.all(),
    'causes:exportRules': ({ ids, name }) => {
      const all = ctx.store.causes.all();
      const chosen = ids ? all.filter((c) => ids.includes(c.id)) : all;
      const file = confirmedCausesRuleFile(chosen, name);
      return {
        fileName: safeFileName(name),
        text: `${JSON.stringify(file, null, 2)}\n`,
        rules: file.rules.length,
      };
    },
    'causes:importRules': ({ fileName, text }) => {
      let json: unknown;
      try {
        json = parseJsonText(text);
      } catch (e) {
        throw new BadRequestError(`${fileName} is not JSON: ${(e as Error).message}`);
      }
      let loaded: ReturnType<typeof loadRuleFile>;
      try {
        loaded = loadRuleFile(json);
      } catch (e) {
        throw new BadRequestError(`${fileName} is not a rule file: ${(e as Error).message}`);
      }
      const have = new Set(
        ctx.store.causes.all().map((c) => `${c.bucket ?? ''}\u0000${c.culpritKey ?? ''}\u0000${c.cause}`),
      );
      const fresh = [];
      let known = 0;
      let otherRules = 0;
      for (const rule of loaded.rules) {
        const keys = learnedKeys(rule.match);
        if (!keys) {
          otherRules++;
          continue;
        }
        const cause = rule.title.replace(/^Confirmed:\s*/i, '');
        const id = `${keys.bucket ?? ''}\u0000${keys.culpritKey ?? ''}\u0000${cause}`;
        if (have.has(id)) {
          known++;
          continue;
        }
        have.add(id);
        fresh.push({
          incidentId: null,
          bucket: keys.bucket,
          culpritKey: keys.culpritKey,
          cause,
          fix: rule.fix,
          fixed: false,
          incidentCapturedMs: null,
          origin: 'imported' as const,
          source: `${fileName}#${rule.id}`,
        });
      }
      if (fresh.length) ctx.store.causes.addMany(fresh);
      // The file joins the user's rules, so the rules engine matches its buckets in logs and dumps
      // too (when the user's rule files are turned on).
      const folder = userRulesConfig(ctx.dataDir, ctx.store).folder;
      mkdirSync(folder, { recursive: true });
      const savedAs = join(folder, safeFileName(fileName));
      writeFileSync(savedAs, `${JSON.stringify(json, null, 2)}\n`);
      if (fresh.length) ctx.emit('incidents:changed', { ids: [], reason: 'causes imported' });
      return { added: fresh.length, known, otherRules, savedAs };
    },
  };
}
