import { z } from 'zod';
import { channel } from './define';
import { ConfirmedCause, IncidentCauses } from '../domain/causes';

/** Causes the workbench learns (docs/SIGNATURES.md): confirm, look up, share as rule files. */
export const causesChannels = {
  'causes:forIncident': channel(
    z.object({ id: z.string().min(1).max(200) }),
    IncidentCauses,
    'Causes confirmed for this incident’s bucket or culprit, and whether its bucket regressed.',
  ),
  'causes:confirm': channel(
    z.object({
      incidentId: z.string().min(1).max(200),
      cause: z.string().trim().min(1).max(2000),
      fix: z.string().trim().max(2000).default(''),
      /** The fix worked: the incident is marked fixed and a later crash of the bucket is a regression. */
      fixed: z.boolean().default(false),
      /** A suspect's file name to tie the cause to instead of the model's probable cause. */
      culprit: z.string().trim().min(1).max(300).nullable().default(null),
    }),
    ConfirmedCause,
    'Record what the cause of an incident was (and the fix that worked).',
  ),
  'causes:remove': channel(
    z.object({ id: z.number().int() }),
    z.object({ ok: z.boolean() }),
    'Forget a confirmed cause.',
  ),
  'causes:list': channel(z.object({}), z.array(ConfirmedCause), 'Every confirmed cause, newest first.'),
  'causes:exportRules': channel(
    z.object({
      ids: z.array(z.number().int()).max(10_000).optional(),
      name: z.string().trim().min(1).max(200).default('Confirmed causes'),
    }),
    z.object({ fileName: z.string(), text: z.string(), rules: z.number().int() }),
    'Confirmed causes as a rule file (resources/rules format, bucket/culprit conditions).',
  ),
  'causes:importRules': channel(
    z.object({
      fileName: z.string().trim().min(1).max(260),
      text: z.string().max(2 * 1024 * 1024),
    }),
    z.object({
      /** Confirmed causes added from the file's bucket/culprit rules. */
      added: z.number().int(),
      /** Rules of the file that were already known (same bucket, culprit and text). */
      known: z.number().int(),
      /** Other rules in the file (kept in the rules folder for the rules engine). */
      otherRules: z.number().int(),
      /** Where the file was saved among the user's rules. */
      savedAs: z.string(),
    }),
    'Add the confirmed causes of a shared rule file; the file joins the user’s rules.',
  ),
} as const;
