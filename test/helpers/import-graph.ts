import { buildSync } from 'esbuild';
import { join } from 'node:path';

/**
 * The static import graph of a source file as the build sees it (esbuild's metafile): type-only
 * imports are dropped as in the build, dynamic imports are left out (they load only when used).
 * For the tests that guard what a CLI command loads at start (issue 15).
 */
const root = join(__dirname, '..', '..');

/** Files (relative to the repository) and packages reached from `entry` by static imports. */
export function staticClosure(entry: string): { files: string[]; packages: string[] } {
  const { metafile } = buildSync({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const inputs = metafile.inputs;
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (files.has(f)) continue;
    files.add(f);
    for (const i of inputs[f]?.imports ?? []) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) packages.add(i.path);
      else todo.push(i.path);
    }
  }
  return { files: [...files], packages: [...packages] };
}
