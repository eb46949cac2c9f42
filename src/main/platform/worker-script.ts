import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread from a main-process entry: the built one (out/main/<name>.js, next to
 * the calling bundle or one level up from a shared chunk) or, from a source checkout (tests,
 * `npm run serve`, benches under tsx), `<srcDir>/<name>.ts` through tsx's require hook. Null
 * when neither exists or the thread cannot start. The worker starts ref'd: the pool decides
 * when it may stop keeping the process alive.
 */
export function startWorker(name: string, srcDir: string, resourceLimits: ResourceLimits): Worker | null {
  const script = workerScript(name, srcDir);
  if (!script) return null;
  try {
    return script.ts
      ? new Worker(tsBootstrap(script.path), { eval: true, resourceLimits })
      : new Worker(script.path, { resourceLimits });
  } catch {
    return null;
  }
}

/** Whether `startWorker(name, srcDir)` has a script to start. */
export function hasWorkerScript(name: string, srcDir: string): boolean {
  return workerScript(name, srcDir) !== null;
}

const found = new Map<string, { path: string; ts: boolean } | null>();

function workerScript(name: string, srcDir: string): { path: string; ts: boolean } | null {
  const key = `${srcDir}|${name}`;
  if (found.has(key)) return found.get(key)!;
  let script: { path: string; ts: boolean } | null = null;
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const js = join(dir, `${name}.js`);
    if (!script && existsSync(js)) script = { path: js, ts: false };
  }
  const ts = join(srcDir, `${name}.ts`);
  if (!script && existsSync(ts)) script = { path: ts, ts: true };
  found.set(key, script);
  return script;
}

/** A tiny CommonJS bootstrap: registers tsx's require hook in the worker, then loads it. */
function tsBootstrap(tsPath: string): string {
  const tsxCjs = createRequire(__filename).resolve('tsx/cjs');
  return `require(${JSON.stringify(tsxCjs)}); require(${JSON.stringify(tsPath)});`;
}
