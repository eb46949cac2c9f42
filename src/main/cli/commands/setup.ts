import { resolve } from 'node:path';
import type { LoadOrderDiff, SetupInstance } from '../../../shared/domain/setup';
import { readSetup } from '../../sources/setup/discover';
import { BisectError } from '../../sources/setup/bisect-service';
import { NotFound } from '../../sources/setup/setup-service';
import { flagString, flagStrings } from '../args';
import { BadInputError, EXIT, helpText, UsageError, type CliCommand, type CliIo } from '../types';
import { DB_FLAGS, openWorkbench } from './incidents';

function text(inst: SetupInstance): string {
  const out = [
    `${inst.manager === 'mo2' ? 'Mod Organizer 2' : 'Vortex'} · ${inst.name} · ${inst.game ?? 'game unknown'}${inst.selectedProfile ? ` · selected profile "${inst.selectedProfile}"` : ''}`,
    `instance: ${inst.instance}`,
  ];
  for (const p of inst.profiles) {
    const mods = p.mods.filter((m) => m.kind === 'mod');
    out.push(
      `profile "${p.name}": ${mods.filter((m) => m.enabled).length}/${mods.length} mods enabled, ${p.plugins.filter((x) => x.enabled).length}/${p.plugins.length} plugins active${p.problems.length ? `, ${p.problems.length} problems` : ''}`,
    );
    for (const m of mods.filter((x) => x.enabled && x.files.some((f) => /\.dll$/i.test(f))))
      out.push(
        `  ${m.name}${m.version ? ` v${m.version}` : ''}${m.nexusId ? ` (Nexus ${m.nexusId})` : ''}: ${m.files.filter((f) => /\.dll$/i.test(f)).join(', ')}`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** `setup <folder>`: what a mod manager folder holds (read-only). */
export const setupCommand: CliCommand = {
  name: 'setup',
  usage: 'setup <MO2 instance | Vortex staging/game/Data folder> [--profile name] [--json]',
  help: helpText({
    usage: 'setup <MO2 instance | Vortex staging/game/Data folder> [--profile name] [--json]',
    about:
      'Reads a Mod Organizer 2 instance or a Vortex deployment (read-only) and prints its profiles,\n' +
      'plugins in load order, mods with versions, and the DLLs each mod ships.',
    options: [
      ['--profile name', 'only this MO2 profile (default: every profile)'],
      ['--json', 'print the setup as one JSON document'],
    ],
    examples: [
      'ctd-workbench setup "C:\\Modding\\MO2"',
      'ctd-workbench setup "C:\\Modding\\MO2" --profile "Survival" --json',
    ],
    exits: [' 0  read', ' 2  not a mod manager folder, or unreadable'],
  }),
  valueFlags: ['profile'],
  booleanFlags: ['json'],
  async run(args, io) {
    const dir = args.positionals[0];
    if (!dir) throw new UsageError('setup needs a folder');
    const profile = flagString(args, 'profile');
    const inst = await readSetup(resolve(io.cwd, dir), { profiles: profile ? [profile] : 'all' });
    if (!inst)
      throw new BadInputError(
        `${dir} is not a Mod Organizer 2 instance (no ModOrganizer.ini) or a Vortex staging, game or Data folder`,
      );
    const shown = profile ? { ...inst, profiles: inst.profiles.filter((p) => p.name === profile) } : inst;
    if (profile && shown.profiles.length === 0)
      throw new BadInputError(`no profile "${profile}" in ${inst.instance}`);
    io.out(args.flags.json ? `${JSON.stringify(shown, null, 2)}\n` : text(shown));
    for (const p of [...shown.problems, ...shown.profiles.flatMap((x) => x.problems)])
      io.err(`warning: ${p.path}: ${p.message}\n`);
    return EXIT.ok;
  },
};

function diffText(d: LoadOrderDiff): string {
  const out: string[] = [];
  if (d.current && d.since)
    out.push(
      `${d.current.source} setup of this incident (${d.current.plugins} plugins, ${d.current.mods} mods) vs ${d.since.incidentId ? `incident ${d.since.incidentId}` : 'the setup'} of ${d.since.at.replace('T', ' ')} (${d.since.reason})`,
    );
  for (const a of d.added) out.push(`+ ${a.kind} ${a.name}${a.version ? ` v${a.version}` : ''}`);
  for (const r of d.removed) out.push(`- ${r.kind} ${r.name}${r.version ? ` v${r.version}` : ''}`);
  for (const u of d.updated) out.push(`~ ${u.kind} ${u.name} ${u.from ?? '?'} -> ${u.to ?? '?'}`);
  for (const m of d.moved) out.push(`> plugin ${m.name} ${m.from} -> ${m.to}`);
  if (d.since && out.length === 1) out.push('no changes');
  for (const n of d.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}

function resolveIncident(ref: string, lookup: (r: string) => string | null | 'ambiguous'): string {
  const id = lookup(ref);
  if (id === 'ambiguous')
    throw new UsageError(`"${ref}" matches more than one incident; give more characters`);
  if (!id) throw new BadInputError(`No incident "${ref}" in the index (run scan first?)`);
  return id;
}

/** `loadorder diff <incident> [--since <incident>]`. */
export const loadorderCommand: CliCommand = {
  name: 'loadorder',
  usage: 'loadorder diff <incident> [--since <incident>] [--json] [--db file] [--data-dir dir]',
  help: helpText({
    usage: 'loadorder diff <incident> [--since <incident>] [--json] [--db file] [--data-dir dir]',
    about:
      'What changed in the mod setup before a crash: plugins and mods added, removed, updated and\n' +
      'moved, against the last session without a crash (or the incident given with --since).',
    options: [
      ['--since incident', 'compare with the setup of this incident instead'],
      ['--json', 'print the difference as one JSON document'],
      ['--db file', "the index to read (default: the app's)"],
      ['--data-dir dir', 'the app data folder to use'],
    ],
    examples: ['ctd-workbench loadorder diff 3f2a', 'ctd-workbench loadorder diff 3f2a --since 1b07 --json'],
    exits: [' 0  shown', ' 2  unknown incident, or no setup recorded for it'],
  }),
  valueFlags: [...DB_FLAGS, 'since'],
  booleanFlags: ['json'],
  async run(args, io) {
    const [verb, ref] = args.positionals;
    if (verb !== 'diff' || !ref) throw new UsageError('loadorder diff needs an incident id');
    const wb = await openWorkbench(args, io);
    try {
      const lookup = (r: string) => wb.ctx.setup.resolveIncident(r);
      const id = resolveIncident(ref, lookup);
      const sinceRef = flagString(args, 'since');
      const since = sinceRef ? resolveIncident(sinceRef, lookup) : null;
      let d: LoadOrderDiff;
      try {
        d = wb.ctx.setup.changes(id, since);
      } catch (e) {
        if (e instanceof NotFound) throw new BadInputError(e.message);
        throw e;
      }
      io.out(args.flags.json ? `${JSON.stringify(d, null, 2)}\n` : diffText(d));
      return EXIT.ok;
    } finally {
      await wb.close();
    }
  },
};

async function withBisect<T>(
  args: Parameters<CliCommand['run']>[0],
  io: CliIo,
  fn: (wb: Awaited<ReturnType<typeof openWorkbench>>) => Promise<T>,
): Promise<T> {
  const wb = await openWorkbench(args, io);
  try {
    return await fn(wb);
  } catch (e) {
    if (e instanceof BisectError) throw new BadInputError(e.message);
    throw e;
  } finally {
    await wb.close();
  }
}

/** `bisect start|good|bad|status|reset`. */
export const bisectCommand: CliCommand = {
  name: 'bisect',
  usage: [
    'bisect start --profile <MO2 profile folder> [--pin <plugin or mod>]... [--by plugins|mods] [--json]',
    '              bisect good | bad [--json]      answer the current round (good: no crash)',
    '              bisect status [--json]',
    '              bisect reset [--keep] [--json]  remove the test profiles it created (--keep: leave them)',
    '              [--db file] [--data-dir dir]',
  ].join('\n'),
  help: helpText({
    usage: 'bisect start | good | bad | status | reset',
    about:
      'Guided bisect over an MO2 profile: each round writes a test profile beside it with half of the\n' +
      'remaining suspects (and their masters) on; answer good (no crash) or bad until one is left.\n' +
      'The original profile is never changed.',
    options: [
      ['--profile folder', 'start: the MO2 profile folder to bisect'],
      ['--pin name', 'start: a plugin or mod kept on in every round (repeatable)'],
      ['--by plugins|mods', 'start: split by plugins (default) or by mods'],
      ['--keep', 'reset: leave the test profiles in place'],
      ['--json', 'print the state as one JSON document'],
      ['--db file', "the index to read (default: the app's)"],
      ['--data-dir dir', 'the app data folder to use'],
    ],
    examples: [
      'ctd-workbench bisect start --profile "C:\\Modding\\MO2\\profiles\\Default"',
      'ctd-workbench bisect bad',
      'ctd-workbench bisect reset',
    ],
    exits: [' 0  done', ' 2  no bisect running, or the profile cannot be read'],
  }),
  valueFlags: [...DB_FLAGS, 'profile', 'pin', 'by'],
  booleanFlags: ['json', 'keep'],
  async run(args, io) {
    const verb = args.positionals[0];
    const json = args.flags.json === true;
    const show = (s: { message: string }, extra = '') =>
      io.out(json ? `${JSON.stringify(s, null, 2)}\n` : `${s.message}\n${extra}`);
    switch (verb) {
      case 'start': {
        const profile = flagString(args, 'profile');
        if (!profile) throw new UsageError('bisect start needs --profile <MO2 profile folder>');
        const by = flagString(args, 'by') ?? 'plugins';
        if (by !== 'plugins' && by !== 'mods') throw new UsageError('--by is plugins or mods');
        return withBisect(args, io, async (wb) => {
          const s = await wb.ctx.bisect.start({
            profileDir: resolve(io.cwd, profile),
            pins: flagStrings(args, 'pin'),
            granularity: by,
          });
          show(s, `${s.total} suspects; test profile: ${s.rounds.at(-1)?.profileDir ?? '-'}\n`);
          for (const p of s.problems) io.err(`warning: ${p}\n`);
          return EXIT.ok;
        });
      }
      case 'good':
      case 'bad':
        return withBisect(args, io, async (wb) => {
          const s = await wb.ctx.bisect.answer(verb);
          show(
            s,
            s.done
              ? ''
              : `${s.remaining.length} suspects left; test profile: ${s.rounds.at(-1)?.profileDir ?? '-'}\n`,
          );
          return EXIT.ok;
        });
      case 'status':
        return withBisect(args, io, async (wb) => {
          const s = wb.ctx.bisect.status();
          show(
            s,
            s.active
              ? `${s.remaining.length} of ${s.total} suspects left after ${s.rounds.filter((r) => r.answer).length} answers\n`
              : '',
          );
          return EXIT.ok;
        });
      case 'reset':
        return withBisect(args, io, async (wb) => {
          const r = await wb.ctx.bisect.reset(args.flags.keep === true);
          if (json) io.out(`${JSON.stringify(r, null, 2)}\n`);
          else
            io.out(
              `Bisect reset; removed ${r.removed.length} test profile(s)${r.kept.length ? `, kept ${r.kept.length}` : ''}.\n`,
            );
          return EXIT.ok;
        });
      default:
        throw new UsageError('bisect needs start, good, bad, status or reset');
    }
  },
};
