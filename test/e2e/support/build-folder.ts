/** tsx entry: builds the SkyrimDiag-style folder (real fixtures inside) at argv[2]. */
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';

const dest = process.argv[2];
if (!dest) throw new Error('usage: build-folder <dest>');
const built = buildSkyrimDiagFolder(dest);
process.stdout.write(JSON.stringify(built.expected));
