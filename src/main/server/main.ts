import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, flagString } from '../cli/args';
import { defaultDataDir } from '../data-dir';
import { createWorkbench } from '../workbench';
import { startBridgeServer, type BridgeServer } from './bridge-server';

/**
 * `npm run serve -- [folder…] [--port N] [--data-dir D] [--no-watch]`: the same main
 * services in plain Node behind the loopback bridge, serving the built renderer. Runs as
 * out/main/serve.js (scripts/serve.mjs builds it when missing or stale).
 */
function findRendererDir(): string {
  const candidates = [
    process.env.CTD_RENDERER_DIR,
    join(__dirname, '..', 'renderer'), // out/main/serve.js → out/renderer
    join(__dirname, '..', '..', '..', 'out', 'renderer'), // src/main/server/main.ts (tests)
    join(process.cwd(), 'out', 'renderer'),
  ].filter((x): x is string => !!x);
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['port', 'data-dir', 'db']);
  const port = flagString(args, 'port') ? Number(flagString(args, 'port')) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  const dataDir = resolve(flagString(args, 'data-dir') ?? defaultDataDir());
  const rendererDir = findRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`No built renderer at ${rendererDir}: run \`npm run build\` first.\n`);
    process.exit(2);
  }
  let server: BridgeServer | null = null;
  const wb = await createWorkbench({
    dataDir,
    dbPath: flagString(args, 'db') ? resolve(flagString(args, 'db')!) : undefined,
    transport: 'serve',
    watch: !args.flags['no-watch'],
    emit: (name, payload) => server?.broadcast(name, payload),
    appVersion: process.env.npm_package_version,
  });
  server = await startBridgeServer({
    handlers: wb.handlers,
    rendererDir,
    port,
    version: process.env.npm_package_version,
  });
  if (wb.recoveredFrom)
    process.stdout.write(
      `The index was corrupt; moved aside to ${wb.recoveredFrom} and rebuilt from the files.\n`,
    );
  process.stdout.write(`CTD Workbench (serve mode) data in ${dataDir}\n`);
  process.stdout.write(`Open ${server.url}\n`);
  // Folders named on the command line are remembered now and scanned in the background: the
  // page is usable at once and shows the scan's progress (scan:progress) as it runs.
  for (const f of args.positionals) {
    wb.ctx.sources.addFolder(resolve(f)).catch((e: unknown) => {
      process.stderr.write(`warning: ${(e as Error).message}\n`);
    });
  }
  const stop = async () => {
    await server?.close();
    await wb.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`serve: ${(e as Error).message}\n`);
  process.exit(2);
});
