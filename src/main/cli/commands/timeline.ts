import { incidentTimeline } from '../../features/timeline/handlers';
import { flagString, type ParsedArgs } from '../args';
import { BadInputError, EXIT, helpText, UsageError, type CliCommand, type CliIo } from '../types';
import { DB_FLAGS, incidentByRef, openWorkbench } from './incidents';
import type { TimelineEvent } from '../../../shared/domain/timeline';
import { TimelineSource } from '../../../shared/domain/timeline';

/** "-12.345 s", "+0.250 s". */
function offset(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

/** "30s", "5m", "2h" → ms. */
function parseSpan(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new UsageError(`--last takes a duration like 30s, 5m or 2h, not "${s}"`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

export const timelineCommand: CliCommand = {
  name: 'timeline',
  usage:
    'timeline <incident id (or unique prefix)> [--json] [--source etw,papyrus,...] [--last 30s] [--db file] [--data-dir dir]',
  help: helpText({
    usage:
      'timeline <incident id (or unique prefix)> [--json] [--source etw,papyrus,...] [--last 30s] [--db file] [--data-dir dir]',
    about:
      "Every timestamped event of one incident's files (dump, crash log, black box, wait chains, ETW,\n" +
      'Papyrus/SKSE logs) on the local wall clock, with its offset from the crash or freeze.',
    options: [
      ['--source list', `only these sources (${TimelineSource.options.join(', ')})`],
      ['--last span', 'only the span before the incident (30s, 5m, 2h)'],
      ['--json', 'print the timeline as one JSON document'],
      ['--db file', "the index to read (default: the app's)"],
      ['--data-dir dir', 'the app data folder to use'],
    ],
    examples: [
      'ctd-workbench timeline 3f2a',
      'ctd-workbench timeline 3f2a --source etw,papyrus --last 30s --json',
    ],
    exits: [' 0  shown', ' 2  unknown incident'],
  }),
  valueFlags: [...DB_FLAGS, 'source', 'last'],
  booleanFlags: ['json'],
  async run(args: ParsedArgs, io: CliIo) {
    const ref = args.positionals[0];
    if (!ref) throw new UsageError('timeline needs an incident id');
    const sources = flagString(args, 'source')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of sources ?? [])
      if (!TimelineSource.safeParse(s).success)
        throw new UsageError(`--source: "${s}" is not one of ${TimelineSource.options.join(', ')}`);
    const last = flagString(args, 'last');
    const span = last ? parseSpan(last) : null;
    const wb = await openWorkbench(args, io);
    try {
      const d = incidentByRef(wb.ctx.store, ref);
      if (!d) throw new BadInputError(`No incident "${ref}" in the index (run scan first?)`);
      const reported = new Map<string, number>();
      const tl = await incidentTimeline(d, {
        onProgress: (p) => {
          // Progress for big files only, on stderr (stdout stays one JSON document with --json).
          if (p.bytesTotal < 64 * 1024 * 1024) return;
          const pct = Math.floor((100 * p.bytesDone) / Math.max(1, p.bytesTotal) / 10) * 10;
          if ((reported.get(p.name) ?? -1) >= pct) return;
          reported.set(p.name, pct);
          io.err(`reading ${p.name}: ${pct}%\n`);
        },
      });
      const keep = (e: TimelineEvent) =>
        (!sources || sources.includes(e.source)) &&
        (span === null || (e.offsetMs <= 0 && -e.offsetMs <= span));
      const events = tl.events.filter(keep);
      if (args.flags.json) {
        io.out(`${JSON.stringify({ ...tl, events }, null, 2)}\n`);
        return EXIT.ok;
      }
      io.out(
        `incident ${tl.incidentId} (${tl.kind}) at ${tl.incidentTime.replace('T', ' ')}: ${tl.incidentTimeFrom}\n`,
      );
      io.out(`local clock ${tl.zone.label}: ${tl.zone.from}\n`);
      for (const s of tl.sources)
        io.out(
          `  ${s.source.padEnd(9)} ${s.name}: ${s.kept}/${s.seen} events${s.note ? ` (${s.note})` : ''}\n`,
        );
      // Last seconds before the crash or freeze first.
      const ordered = [...events].sort(
        (a, b) => Math.abs(a.offsetMs) - Math.abs(b.offsetMs) || a.offsetMs - b.offsetMs,
      );
      for (const e of ordered)
        io.out(
          `${offset(e.offsetMs).padStart(14)}  ${e.t.slice(11)}  ${e.source.padEnd(9)} ${e.level === 'info' ? ' ' : e.level === 'warning' ? 'W' : 'E'} ${e.text}\n`,
        );
      if (tl.truncated) io.out('(more events than shown: the ones nearest the incident are kept)\n');
      return EXIT.ok;
    } finally {
      await wb.close();
    }
  },
};
