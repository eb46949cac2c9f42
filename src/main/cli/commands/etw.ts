import { ParseError } from '../../formats/common/parse-error';
import { EtlSession } from '../../analysis/etw/session';
import type { EtwSummary } from '../../../shared/domain/etw';
import { flagString } from '../args';
import { EXIT, helpText, UsageError, type CliCommand } from '../types';

const USAGE = 'etw <file.etl> [--events n] [--provider name] [--event name] [--pid pid] [--json]';

function ms(v: number | null): string {
  return v === null ? '-' : `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;
}

function formatText(s: EtwSummary): string {
  const lines: string[] = [...s.facts, ''];
  if (s.header)
    lines.push(
      `session ${s.header.loggerName}; start ${s.header.startTime ?? '?'}; ${s.buffers} buffers (${s.compressedBuffers} compressed); ` +
        `${s.header.eventsLost} events lost`,
    );
  lines.push('', 'event types:');
  for (const t of s.types.slice(0, 40))
    lines.push(`  ${String(t.count).padStart(9)}  ${t.provider}/${t.event}`);
  if (s.types.length > 40) lines.push(`  ... ${s.types.length - 40} more`);
  if (s.hasKernel) {
    lines.push('', 'processes:');
    for (const p of s.processes.slice(0, 15))
      lines.push(
        `  ${String(p.pid).padStart(7)}  ${p.name.padEnd(28)} cpu ${ms(p.cpuMs)}, ${p.samples} samples, ${p.threads} threads`,
      );
    lines.push('', `top threads of ${s.focusProcess?.name ?? 'the trace'} by CPU:`);
    for (const t of s.topThreadsByCpu)
      lines.push(
        `  ${String(t.tid).padStart(7)}  ${(t.name ?? '').padEnd(20)} cpu ${ms(t.cpuMs)}, wait ${ms(t.waitMs)}`,
      );
    if (s.topThreadsByWait.length) {
      lines.push('', 'top threads by wait:');
      for (const t of s.topThreadsByWait)
        lines.push(
          `  ${String(t.tid).padStart(7)}  wait ${ms(t.waitMs)}  ${t.topWaitReasons.map((r) => `${r.reason} ${ms(r.ms)}`).join(', ')}`,
        );
    }
    if (s.topModules.length) {
      lines.push('', `top modules by sampled CPU (${s.totalSamples} samples):`);
      for (const m of s.topModules)
        lines.push(`  ${String(m.samples).padStart(7)}  ${m.percent.toFixed(1).padStart(5)}%  ${m.name}`);
    }
    const io = s.io;
    lines.push(
      '',
      `disk: ${io.diskReads} reads ${io.diskReadBytes} B, ${io.diskWrites} writes ${io.diskWriteBytes} B, ${ms(io.diskTimeMs)}; ` +
        `file: ${io.fileReads} reads ${io.fileReadBytes} B, ${io.fileWrites} writes ${io.fileWriteBytes} B; hard faults ${io.hardFaults}`,
    );
  }
  for (const p of s.problems) lines.push(`problem: ${p.code}: ${p.message}`);
  return lines.join('\n') + '\n';
}

export const etwCommand: CliCommand = {
  name: 'etw',
  usage: USAGE,
  help: helpText({
    usage: USAGE,
    about:
      'Summarises an ETW trace: providers and event counts, and for kernel traces CPU by process\n' +
      'and thread, waits with their reasons, disk and file I/O, and what the main thread did.',
    options: [
      ['--events n', 'also print the first n events (with their fields)'],
      ['--provider name', 'only events of this provider (with --events)'],
      ['--event name', 'only events of this name (with --events)'],
      ['--pid pid', 'only events of this process (with --events)'],
      ['--json', 'print the summary (and events) as one JSON document'],
    ],
    examples: [
      'ctd-workbench etw SkyrimDiag_Hang_20260316_090000_250.etl',
      'ctd-workbench etw trace.etl --events 50 --provider Microsoft-Windows-Kernel-Process --json',
    ],
    exits: [
      ' 0  summarised',
      ' 2  missing, unreadable or damaged trace (what could be read is still printed)',
    ],
  }),
  valueFlags: ['events', 'provider', 'event', 'pid'],
  booleanFlags: ['json'],
  async run(args, io) {
    const path = args.positionals[0];
    if (path === undefined) throw new UsageError('an .etl file is required');
    const nEvents = Number(flagString(args, 'events') ?? 0);
    const pid = flagString(args, 'pid');
    if (!Number.isInteger(nEvents) || nEvents < 0) throw new UsageError('--events is a count (0 or more)');
    if (pid !== undefined && !/^\d+$/.test(pid)) throw new UsageError('--pid is a process id (a number)');
    let s: EtlSession;
    try {
      s = EtlSession.open(path);
    } catch (e) {
      if (e instanceof ParseError) {
        io.err(`error: ${path} cannot be read as an ETW trace: ${e.message}\n`);
        return EXIT.badInput;
      }
      throw e;
    }
    try {
      const typeIds = s.typeIdsFor(flagString(args, 'provider') ?? null, flagString(args, 'event') ?? null);
      const events =
        nEvents > 0 ? s.page({ typeIds, pid: pid === undefined ? null : Number(pid) }, 0, nEvents) : null;
      const detailed = events?.rows.map((r) => s.event(r.position));
      if (args.flags.json === true)
        io.out(JSON.stringify(events ? { summary: s.summary, events: detailed } : s.summary, null, 2) + '\n');
      else {
        io.out(formatText(s.summary));
        for (const d of detailed ?? [])
          if (d)
            io.out(
              `${d.timeMs.toFixed(3).padStart(12)}  ${d.provider}/${d.event} pid=${d.pid} tid=${d.tid} ` +
                d.fields
                  .map((f) => `${f.name}=${typeof f.value === 'string' ? f.value : JSON.stringify(f.value)}`)
                  .join('; ') +
                '\n',
            );
      }
      // Nothing readable is bad input; a trace read in part (cut, bad buffers) is a finding.
      if (s.summary.events === 0) return EXIT.badInput;
      return s.summary.problemCount > 0 ? EXIT.findings : EXIT.ok;
    } finally {
      s.close();
    }
  },
};
