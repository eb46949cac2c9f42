import type { SdCandidate, SdProblem, SdSummary } from '../../../shared/domain/skyrimdiag';
import { ParseError } from '../common/parse-error';
import { arr, bool, num, obj, readJsonObject, str, type Obj } from './json';

/**
 * `<stem>_SkyrimDiagSummary.json`: SkyrimDiag's own analysis of a dump (skyrimdiag-artifacts.md
 * §5). Every key is optional to a reader and text may be Korean, so only ids, file names and
 * numbers are relied on; localized strings are kept as text.
 */

export const MAX_SUMMARY_BYTES = 32 * 1024 * 1024;
const MAX_ITEMS = 50;

function candidate(o: Obj | null, status: string): SdCandidate | null {
  if (!o) return null;
  const name =
    str(o.module_filename, 260) ??
    str(o.plugin_name, 260) ??
    str(o.primary_identifier, 260) ??
    str(o.display_name, 260) ??
    str(o.module, 260);
  if (!name) return null;
  return {
    name,
    modName: str(o.mod_name, 260) ?? str(o.inferred_mod_name, 260),
    status: str(o.status_id, 64) ?? status,
    confidence: str(o.confidence, 64),
    families: arr(o.supporting_families, 20)
      .map((f) => str(f, 64))
      .filter((f): f is string => f !== null),
    text: str(o.explanation, 1024) ?? str(o.reason, 1024),
  };
}

export function parseSkyrimDiagSummary(input: Buffer | string, file = 'SkyrimDiagSummary.json'): SdSummary {
  return summaryFromJson(readJsonObject(input, file, MAX_SUMMARY_BYTES, 'summary'), file);
}

/** The summary from JSON already parsed with parseJsonExact (64-bit values as strings). */
export function summaryFromJson(json: unknown, file = 'SkyrimDiagSummary.json'): SdSummary {
  const root = obj(json);
  if (!root)
    throw new ParseError('summary is not a JSON object', { file, field: '(root)', code: 'bad_field' });
  const problems: SdProblem[] = [];
  const schema = obj(root.schema);
  if (schema && str(schema.name) !== 'SkyrimDiagSummary')
    problems.push({ line: null, code: 'schema', message: `schema name is "${str(schema.name) ?? ''}"` });

  const ex = obj(root.exception);
  const mpo = str(ex?.module_plus_offset, 300);
  const plus = mpo ? /^(.+)\+0x([0-9a-f]{1,16})$/i.exec(mpo) : null;
  const analysis = obj(root.analysis);
  const kind: SdSummary['kind'] = bool(analysis?.is_filtered_clean_exit)
    ? 'clean-exit'
    : bool(analysis?.is_hang_like)
      ? 'hang'
      : bool(analysis?.is_manual_capture)
        ? 'manual'
        : bool(analysis?.is_crash_like)
          ? 'crash'
          : bool(analysis?.is_snapshot_like)
            ? 'snapshot'
            : null;

  const candidates: SdCandidate[] = [];
  for (const c of arr(root.actionable_candidates, MAX_ITEMS)) {
    const x = candidate(obj(c), 'related');
    if (x) candidates.push(x);
  }
  for (const s of arr(root.suspects, MAX_ITEMS)) {
    const x = candidate(obj(s), 'suspect');
    if (x) candidates.push(x);
  }

  const modNames: Record<string, string> = {};
  const noteMod = (file: string | null, mod: string | null) => {
    if (file && mod && /\.(dll|exe|es[pml])$/i.test(file) && Object.keys(modNames).length < 500)
      modNames[file.toLowerCase()] ??= mod;
  };
  noteMod(plus?.[1] ?? null, str(ex?.inferred_mod_name, 260));
  for (const c of candidates) noteMod(c.name, c.modName);

  const cl = obj(root.crash_logger);
  const objectRefs: SdSummary['objectRefs'] = [];
  for (const r of arr(cl?.object_refs, MAX_ITEMS)) {
    const o = obj(r);
    const plugin = str(o?.esp_name, 260);
    if (plugin) objectRefs.push({ plugin, formId: str(o?.form_id, 20), type: str(o?.best_object_type, 128) });
  }

  const fa = obj(root.freeze_analysis);
  const state = str(fa?.state_id, 64);
  const tmc = obj(fa?.thread_module_consensus);
  const freeze: SdSummary['freeze'] = state
    ? {
        state,
        confidence: str(fa?.confidence, 64),
        consensusModule: bool(tmc?.has_consensus) ? str(tmc?.module_filename, 260) : null,
        lockCycleProven: bool(tmc?.os_lock_cycle_proven) ?? false,
        related: arr(fa?.related_candidates, 10)
          .map((c) => str(obj(c)?.display_name, 260))
          .filter((c): c is string => c !== null),
      }
    : null;

  return {
    sentence: str(root.summary_sentence, 1024),
    bucket: str(root.crash_bucket_key, 64),
    gameVersion: str(root.game_version, 32),
    kind,
    exception: ex
      ? {
          code: num(ex.code),
          module: plus?.[1] ?? null,
          offset: plus ? Number.parseInt(plus[2]!, 16) : null,
          modName: str(ex.inferred_mod_name, 260),
        }
      : null,
    candidates,
    modNames,
    objectRefs,
    freeze,
    recommendations: arr(root.recommendations, 20)
      .map((r) => str(r, 1024))
      .filter((r): r is string => r !== null),
    problems,
  };
}
