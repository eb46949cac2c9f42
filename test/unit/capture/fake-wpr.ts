import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wpr, type WprConfig } from '../../../src/main/capture/wpr';

export const FAKE_WPR = join(__dirname, '..', '..', 'fakes', 'wpr', 'wpr.mjs');

export interface FakeWprEnv {
  dir: string;
  stateDir: string;
  config(env?: Record<string, string>, timeoutMs?: number): WprConfig;
  wpr(env?: Record<string, string>, timeoutMs?: number): Wpr;
  calls(): string[][];
  sessionRunning(): boolean;
  dispose(): void;
}

/** A temp folder with the fake wpr's state; the fake runs through this Node (no shebang reliance). */
export function fakeWpr(): FakeWprEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-wpr-'));
  const stateDir = join(dir, 'state');
  const config = (env: Record<string, string> = {}, timeoutMs = 10_000): WprConfig => ({
    exe: process.execPath,
    prefixArgs: [FAKE_WPR],
    cwd: dir,
    timeoutMs,
    env: { ...process.env, FAKE_WPR_STATE_DIR: stateDir, ...env },
  });
  return {
    dir,
    stateDir,
    config,
    wpr: (env, timeoutMs) => new Wpr(config(env, timeoutMs)),
    calls: () => {
      const log = join(stateDir, 'args.log');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { argv: string[] }).argv);
    },
    sessionRunning: () => existsSync(join(stateDir, 'session.json')),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
