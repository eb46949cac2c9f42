import { TrendsQuery } from '../../../shared/contract/trends';
import type { Trends } from '../../../shared/domain/trends';
import { computeTrends } from '../../analysis/trends/compute-trends';
import { formatIssues } from '../../../shared/zod-issues';
import { flagString } from '../args';
import { EXIT, UsageError, type CliCommand } from '../types';
import { DB_FLAGS, openWorkbench } from './incidents';

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of counts: `▁▁▃█▂`. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v === 0 ? ' ' : BARS[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

function text(t: Trends): string {
  const out: string[] = [];
  const h = t.health;
  out.push(`Install health ${h.score}/100 (${h.grade}, ${h.direction})`);
  for (const f of h.factors)
    out.push(
      `  ${f.label.padEnd(16)} ${`-${f.penalty.toFixed(1)}`.padStart(5)}/${f.max}  ${f.value}   [${f.rule}]`,
    );
  const range = t.days === 0 ? 'All time' : `Last ${t.days} days`;
  const tt = t.totals;
  out.push(
    '',
    `${range} (${t.from.slice(0, 10)} .. ${t.now.slice(0, 10)}): ${tt.incidents} incidents: ${tt.crash} crash, ${tt.hang} hang, ${tt.manual} manual, ${tt.unknown} unknown; ${tt.buckets} buckets, ${tt.newBuckets} new this week`,
  );
  out.push(`  crashes+hangs per ${t.granularity}: |${sparkline(t.series.map((p) => p.crash + p.hang))}|`);
  if (t.buckets.length) {
    out.push('', 'Top buckets (in range / all time):');
    for (const b of t.buckets)
      out.push(
        `  ${String(b.inRange).padStart(5)} / ${String(b.total).padEnd(5)} ${b.isNew ? 'NEW ' : '    '}|${sparkline(b.spark)}|  ${b.title}  (first ${b.firstSeen.slice(0, 10)}, last ${b.lastSeen.slice(0, 10)})\n        ${b.signature}`,
      );
  }
  if (t.modules.length) {
    out.push('', 'Modules in crashes and hangs (faulting / on stack or suspect):');
    for (const m of t.modules)
      out.push(
        `  ${m.module.padEnd(32)} ${String(m.faulting).padStart(5)} / ${String(m.other).padEnd(5)} ${(m.share * 100).toFixed(0).padStart(3)}%  ${m.role}`,
      );
  }
  return `${out.join('\n')}\n`;
}

export const trendsCommand: CliCommand = {
  name: 'trends',
  summary: 'Crash/hang trends, top buckets, module participation and the install health score',
  usage:
    'ctd-workbench trends [--json] [--days n (0 = all time, default 30)] [--now YYYY-MM-DDTHH:MM:SS] [--top n] [--db file] [--data-dir dir]',
  valueFlags: [...DB_FLAGS, 'days', 'now', 'top'],
  async run(args, io) {
    const q = TrendsQuery.safeParse({
      days: flagString(args, 'days') === undefined ? undefined : Number(flagString(args, 'days')),
      now: flagString(args, 'now'),
      topBuckets: flagString(args, 'top') === undefined ? undefined : Number(flagString(args, 'top')),
    });
    if (!q.success) throw new UsageError(formatIssues(q.error, { prefix: '--' }));
    const wb = await openWorkbench(args, io);
    try {
      const t = computeTrends(wb.ctx.store.trends, q.data);
      io.out(args.flags.json ? `${JSON.stringify(t, null, 2)}\n` : text(t));
      return EXIT.ok;
    } finally {
      await wb.close();
    }
  },
};
