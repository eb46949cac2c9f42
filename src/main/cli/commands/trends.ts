import { TrendsQuery } from '../../../shared/contract/trends';
import { GAME_LABEL } from '../../../shared/domain/game';
import type { Trends } from '../../../shared/domain/trends';
import type { ModTrends } from '../../../shared/domain/setup';
import { computeTrends } from '../../analysis/trends/compute-trends';
import { formatIssues } from '../../../shared/zod-issues';
import { flagString } from '../args';
import { EXIT, helpText, UsageError, type CliCommand } from '../types';
import { DB_FLAGS, DB_OPTIONS, openWorkbench } from './incidents';

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
    `${range} (${t.from.slice(0, 10)} .. ${t.now.slice(0, 10)})${t.game ? `, ${GAME_LABEL[t.game]} only` : ''}: ${tt.incidents} incidents: ${tt.crash} crash, ${tt.hang} hang, ${tt.manual} manual, ${tt.unknown} unknown; ${tt.buckets} buckets, ${tt.newBuckets} new this week`,
  );
  if (t.games)
    out.push(
      `  crashes and hangs by game: Skyrim ${t.games.skyrim}, Fallout 4 ${t.games.fallout4}, unknown ${t.games.unknown}`,
    );
  if (tt.imported)
    out.push(`  ${tt.imported} imported bundle(s) in the range are someone else's: not counted`);
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

/** Mods named by the crashes (from the mod setups in use; see `ctd-workbench setup`). */
function modsText(m: ModTrends): string {
  if (m.mods.length === 0) return '';
  const out = ['', 'Mods in crashes and hangs (incidents / faulting, crashes by version):'];
  for (const x of m.mods.slice(0, 15))
    out.push(
      `  ${x.mod.padEnd(32)} ${String(x.incidents).padStart(5)} / ${String(x.faulting).padEnd(5)} ${x.versions
        .slice(-3)
        .map((v) => `${v.version ?? '?'}: ${v.crashes} in ${Math.round(v.days)} d`)
        .join(', ')}${x.rose ? `  rising since ${x.rose.to ?? 'an update'}` : ''}`,
    );
  return `${out.join('\n')}\n`;
}

export const trendsCommand: CliCommand = {
  name: 'trends',
  usage: 'trends [--days n] [--now YYYY-MM-DDTHH:MM:SS] [--top n] [--json] [--db file] [--data-dir dir]',
  help: helpText({
    usage: 'trends [--days n] [--now YYYY-MM-DDTHH:MM:SS] [--top n] [--json] [--db file] [--data-dir dir]',
    about:
      'Crashes and hangs per day or week, the top buckets (same crash, same signature) with\n' +
      'first/last seen, the modules taking part, and the install health score with its factors.',
    options: [
      ['--days n', 'the range in days up to now (default 30; 0 = all time)'],
      ['--now time', 'measure from this wall-clock time instead of the clock (reproducible reports)'],
      ['--top n', 'how many buckets to list (default 20)'],
      ['--game g', 'only skyrim or only fallout4 (imported bundles are never counted)'],
      ['--json', 'print the trends as one JSON document'],
      ...DB_OPTIONS,
    ],
    examples: ['ctd-workbench trends', 'ctd-workbench trends --days 0 --top 50 --json'],
    exits: [' 0  computed', ' 2  the index cannot be opened'],
  }),
  valueFlags: [...DB_FLAGS, 'days', 'now', 'top', 'game'],
  booleanFlags: ['json'],
  async run(args, io) {
    const q = TrendsQuery.safeParse({
      days: flagString(args, 'days') === undefined ? undefined : Number(flagString(args, 'days')),
      now: flagString(args, 'now'),
      topBuckets: flagString(args, 'top') === undefined ? undefined : Number(flagString(args, 'top')),
      game: flagString(args, 'game'),
    });
    if (!q.success) throw new UsageError(formatIssues(q.error, { prefix: '--' }));
    const wb = await openWorkbench(args, io);
    try {
      const t = computeTrends(wb.ctx.store.trends, q.data);
      const mods = wb.ctx.setup.modTrends({ days: q.data.days, now: q.data.now });
      io.out(args.flags.json ? `${JSON.stringify({ ...t, mods }, null, 2)}\n` : text(t) + modsText(mods));
      return EXIT.ok;
    } finally {
      await wb.close();
    }
  },
};
