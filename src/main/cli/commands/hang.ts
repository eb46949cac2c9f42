import { resolve } from 'node:path';
import { analyzeHang } from '../../analysis/hang/analyze-hang';
import { mainThreadNextToWct } from '../../analysis/hang/main-thread';
import { ParseError } from '../../formats/common/parse-error';
import { readWctFile } from '../../formats/wct/parse-wct';
import { flagString } from '../args';
import { EXIT, helpText, UsageError, type CliCommand } from '../types';

const HANG_USAGE = 'hang <SkyrimDiag_WCT_*.json> [--main-tid tid] [--json]';

/** `hang`: the wait-chain analysis of a WCT file (SkyrimDiag's or ours), on any OS. */
export const hangCommand: CliCommand = {
  name: 'hang',
  usage: HANG_USAGE,
  help: helpText({
    usage: HANG_USAGE,
    about:
      'Reads a wait-chain snapshot (SkyrimDiag_WCT_*.json, or one `capture` wrote) and says what\n' +
      'the main thread waits on, which threads form a deadlock cycle, and every blocked chain.',
    options: [
      ['--main-tid tid', "the game's main thread (default: from the file or the manifest beside it)"],
      ['--json', 'print the analysis as one JSON document'],
    ],
    examples: [
      'ctd-workbench hang SkyrimDiag_WCT_20260315_130000_001.json',
      'ctd-workbench hang wct.json --main-tid 5120 --json',
    ],
    exits: [
      ' 0  analysed; no deadlock',
      ' 1  analysed; a deadlock cycle was found',
      ' 2  missing or unreadable file',
    ],
  }),
  valueFlags: ['main-tid'],
  booleanFlags: ['json'],
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new UsageError('a WCT JSON file is required');
    const given = flagString(args, 'main-tid');
    if (given !== undefined && !/^\d+$/.test(given))
      throw new UsageError('--main-tid is a thread id (a number)');
    const path = resolve(io.cwd, file);
    let doc;
    try {
      doc = readWctFile(path);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      if (args.flags.json === true) io.out(`${JSON.stringify({ error: e.message })}\n`);
      else io.err(`error: ${e.message}\n`);
      return EXIT.badInput;
    }
    const hang = analyzeHang(doc, {
      mainThreadId: given !== undefined ? Number(given) : (doc.mainThreadId ?? mainThreadNextToWct(path)),
    });
    const code = hang.cycles.length > 0 ? EXIT.findings : EXIT.ok;
    if (args.flags.json === true) {
      io.out(`${JSON.stringify(hang)}\n`);
      return code;
    }
    const lines = [hang.verdict, `signature: ${hang.signature}`];
    for (const c of hang.cycles)
      lines.push(`deadlock: ${c.tids.join(' -> ')}${c.incomplete ? ' (incomplete)' : ''}`);
    const shown = hang.threads.filter((x) => x.blocked || x.isMain);
    if (shown.length) lines.push('threads (* = main):');
    for (const t of shown.slice(0, 50)) {
      const chain = t.chain
        .map((s) => (s.kind === 'object' ? s.typeName + (s.name ? ` "${s.name}"` : '') : `thread ${s.tid}`))
        .join(' -> ');
      lines.push(
        `  ${t.isMain ? '*' : ' '}${t.tid}${t.waitMs !== null ? ` (${t.waitMs} ms)` : ''}: ${chain || 'not waiting'}`,
      );
    }
    if (shown.length > 50) lines.push(`  ... ${shown.length - 50} more blocked threads (--json has all)`);
    io.out(`${lines.join('\n')}\n`);
    return code;
  },
};
