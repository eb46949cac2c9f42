import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface ServeHandle {
  /** The printed URL, token included. */
  url: string;
  dataDir: string;
  tmp: string;
  stop(): Promise<void>;
}

/** A scratch folder under the repo's ignored .tmp (CI machines may have a small /tmp). */
export function scratch(prefix: string): string {
  const base = join(root, '.tmp');
  return mkdtempSync(join(existsSync(base) ? base : tmpdir(), prefix));
}

/** Runs a TypeScript helper script with tsx, synchronously (setup only). */
export function runTsx(script: string, args: string[]): void {
  const r = spawnSync(process.execPath, [tsxCli, script, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr || r.stdout}`);
}

/**
 * Starts serve mode the way `npm run serve` does (built out/main/serve.js when present,
 * otherwise the source through tsx) on a free port with its own data dir, and resolves
 * with the URL it prints.
 */
export async function startServe(
  opts: { folders?: string[]; dataDir?: string; tmp?: string; watch?: boolean } = {},
): Promise<ServeHandle> {
  const tmp = opts.tmp ?? scratch('ctd-e2e-');
  const dataDir = opts.dataDir ?? join(tmp, 'data');
  const built = join(root, 'out', 'main', 'serve.js');
  const entry = existsSync(built) ? [built] : [tsxCli, join(root, 'src', 'main', 'server', 'main.ts')];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...entry,
      ...(opts.folders ?? []),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(opts.watch ? [] : ['--no-watch']),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CTD_RENDERER_DIR: join(root, 'out', 'renderer') },
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not print its URL within 60 s:\n${out}`)),
      60_000,
    );
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    tmp,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Runs a tsx helper that prints JSON on stdout and returns it parsed. */
export function runTsxJson<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, [tsxCli, script, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as T;
}
