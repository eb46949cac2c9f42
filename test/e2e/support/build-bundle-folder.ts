/**
 * tsx entry: the SkyrimDiag-style folder of the incidents e2e (real fixtures inside), plus a
 * Preflight report and helper log with SYNTHETIC personal data (a made-up player "e2eplayer",
 * machine, e-mail) so the export dialog has something real to redact.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';

const dest = process.argv[2];
if (!dest) throw new Error('usage: build-bundle-folder <dest>');
const built = buildSkyrimDiagFolder(dest);
const sd = join(dest, 'overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs');
writeFileSync(
  join(sd, 'SkyrimDiag_Preflight.json'),
  JSON.stringify(
    {
      schema: { name: 'SkyrimDiagPreflight', version: 1 },
      pid: 4242,
      game_exe_dir: 'C:\\Users\\e2eplayer\\Games\\Skyrim Special Edition',
      symbol_runtime: { cache_path: 'C:\\Users\\e2eplayer\\AppData\\Local\\SkyrimDiag\\SymbolCache' },
      checks: [
        {
          id: 'SYMBOL_CACHE_HEALTH',
          status: 'ok',
          message_en: 'cache at C:\\Users\\e2eplayer\\AppData\\Local\\SkyrimDiag\\SymbolCache',
        },
      ],
    },
    null,
    2,
  ),
);
writeFileSync(
  join(sd, 'SkyrimDiagHelper.log'),
  [
    'helper started',
    'OutputDir: C:\\Users\\e2eplayer\\MO2\\overwrite\\SKSE\\Plugins\\Tullius Ctd Logs',
    'COMPUTERNAME=E2E-GAMING-PC',
    'support contact: e2e.player@example.com',
    '',
  ].join('\r\n'),
);
process.stdout.write(JSON.stringify(built.expected));
