import { resolve } from 'node:path';
import { analyzeHang } from '../../analysis/hang/analyze-hang';
import { mainThreadNextToWct } from '../../analysis/hang/main-thread';
import { ParseError } from '../../formats/common/parse-error';
import { readWctFile } from '../../formats/wct/parse-wct';
import { flagString } from '../args';
import { EXIT, UsageError, type CliCommand } from '../types';

/** `hang`: the wait-chain analysis of a WCT file (SkyrimDiag's or ours), on any OS. */
export const hangCommand: CliCommand = {
  name: 'hang',
  summary: 'Explain a hang from a WCT JSON file: verdict, deadlock cycles, wait chains',
  usage: 'ctd-workbench hang <SkyrimDiag_WCT_*.json> [--main-tid <tid>] [--json]',
  valueFlags: ['main-tid'],
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new UsageError('a WCT JSON file is required');
    const path = resolve(io.cwd, file);
    let doc;
    try {
      doc = readWctFile(path);
    } catch (e) {
      const msg = e instanceof ParseError ? e.message : `cannot read ${path}: ${(e as Error).message}`;
      if (args.flags.json === true) io.out(JSON.stringify({ error: msg }));
      else io.err(msg);
      return EXIT.badInput;
    }
    const given = flagString(args, 'main-tid');
    const hang = analyzeHang(doc, {
      mainThreadId: given !== undefined ? Number(given) : (doc.mainThreadId ?? mainThreadNextToWct(path)),
    });
    if (args.flags.json === true) {
      io.out(JSON.stringify(hang));
      return EXIT.ok;
    }
    io.out(hang.verdict);
    io.out(`signature: ${hang.signature}`);
    for (const c of hang.cycles)
      io.out(`deadlock: ${c.tids.join(' -> ')}${c.incomplete ? ' (incomplete)' : ''}`);
    for (const t of hang.threads.filter((x) => x.blocked || x.isMain).slice(0, 50)) {
      const chain = t.chain
        .map((s) => (s.kind === 'object' ? s.typeName + (s.name ? ` "${s.name}"` : '') : `thread ${s.tid}`))
        .join(' -> ');
      io.out(
        `  ${t.isMain ? '*' : ' '}${t.tid}${t.waitMs !== null ? ` (${t.waitMs} ms)` : ''}: ${chain || 'not waiting'}`,
      );
    }
    return EXIT.ok;
  },
};
