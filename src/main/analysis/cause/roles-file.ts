import { z } from 'zod';
import { ModuleRole } from '../../../shared/domain/incident';
import { formatIssues } from '../../../shared/zod-issues';
import { WEIGHTS, type RolesData } from './roles';

/**
 * The schemas of resources/modules/*.json. They ship with the build, so they are checked when it
 * is made (electron.vite.config.ts runs `checkModuleFile` on each) and by the tests, not on every
 * start: roles.ts loads them without zod (issue 15).
 */

export const Weight = z.enum(WEIGHTS);

export const RolesFile = z
  .object({
    format: z.literal('ctd-workbench-module-roles'),
    version: z.literal(1),
    description: z.string(),
    weights: z.record(Weight, z.string()),
    sources: z.record(z.string(), z.url()),
    modules: z
      .array(
        z
          .object({
            match: z
              .array(
                z
                  .string()
                  .min(1)
                  .regex(/^[a-z0-9 _.+*'()&-]+$/),
              )
              .min(1),
            role: ModuleRole,
            weight: Weight,
            why: z.string().min(10),
            source: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    f.modules.forEach((m, i) => {
      if (!(m.source in f.sources) && !/^https:\/\//.test(m.source))
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'source'],
          message: `unknown source "${m.source}"`,
        });
    });
  });

/**
 * system.json and game.json: lower-case file names (an entry ending in * is a prefix), each once.
 * The readers lower-case a module's name before looking it up, so an entry with a capital letter
 * would never match (gfsdk_godraysLib.x64.dll once sat in game.json unmatched).
 */
export const ModuleListFile = z
  .object({
    description: z.string(),
    modules: z
      .array(
        z
          .string()
          .min(1)
          .refine(
            (n) => n === n.toLowerCase(),
            'an entry has a capital letter; the readers look up lower-case names',
          ),
      )
      .min(1)
      .refine((l) => new Set(l).size === l.length, 'an entry is listed twice'),
  })
  .strict();

// roles.ts reads the file as RolesData: what the schema gives must be one.
const _rolesDataFits: (f: z.infer<typeof RolesFile>) => RolesData = (f) => f;
void _rolesDataFits;

const SCHEMAS: Record<string, z.ZodType> = {
  'roles.json': RolesFile,
  'system.json': ModuleListFile,
  'game.json': ModuleListFile,
};

/** Throws, in words, when a resources/modules file would not load as roles.ts reads it. */
export function checkModuleFile(fileName: string, json: unknown): void {
  const schema = SCHEMAS[fileName];
  if (!schema) throw new Error(`no schema for resources/modules/${fileName} (add one to roles-file.ts)`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(formatIssues(parsed.error, { max: 5, root: '(file)' }));
}
