/**
 * What one child process costs, read by GNU time (/usr/bin/time): user+sys CPU, wall time and
 * peak RSS (the kernel's high-water mark of the whole process, worker threads included), or with
 * CPU to the millisecond (`measureFine`). Shared by the benches that compare a run of ours with a
 * baseline command in the same rounds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cost {
  cpuMs: number;
  wallMs: number;
  rssMiB: number;
}

export const TIME = '/usr/bin/time';
let timeDir: string | null = null;

/** Where GNU time writes its line: one folder per bench process, removed when it exits. */
function timeOut(): string {
  if (timeDir === null) {
    const dir = (timeDir = mkdtempSync(join(tmpdir(), 'ctd-bench-time-')));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(timeDir, 'time.txt');
}

export function requireGnuTime(): void {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to read a child's CPU and RSS`);
}

/** Runs `cmd args` under GNU time (stdout and stderr discarded) and returns what it cost. */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Cost {
  const out = timeOut();
  const r = spawnSync(TIME, ['-o', out, '-f', '%e %U %S %M', cmd, ...args], { stdio: 'ignore', env });
  if (r.error) throw r.error;
  const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
  const [e, u, s, m] = last.split(' ').map(Number);
  return { wallMs: (e ?? NaN) * 1000, cpuMs: ((u ?? NaN) + (s ?? NaN)) * 1000, rssMiB: (m ?? NaN) / 1024 };
}

/**
 * CPU and wall time of one run of `cmd args` to the millisecond, read by bash's `time` keyword
 * (getrusage of the child, printed with three decimals). GNU time prints CPU in 10 ms steps,
 * which is 0.1x of Node's own start: too coarse to tell 1.95x from 2.05x. Runs `cmd` once more
 * under GNU time for its peak RSS, so each figure comes from a child that ran alone.
 */
export function measureFine(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Cost {
  const r = spawnSync(
    'bash',
    ['-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null 2>&1 </dev/null', 'bash', cmd, ...args],
    { encoding: 'utf8', env },
  );
  if (r.error) throw r.error;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [e, u, s] = last.split(' ').map(Number);
  if (![e, u, s].every((x) => Number.isFinite(x)))
    throw new Error(`bash's time printed ${JSON.stringify(last)}`);
  return { wallMs: e! * 1000, cpuMs: (u! + s!) * 1000, rssMiB: measure(cmd, args, env).rssMiB };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Per-field medians of several runs. */
export function summary(cs: Cost[]): Cost {
  return {
    cpuMs: median(cs.map((c) => c.cpuMs)),
    wallMs: median(cs.map((c) => c.wallMs)),
    rssMiB: median(cs.map((c) => c.rssMiB)),
  };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
