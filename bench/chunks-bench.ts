/**
 * `npm run bench:chunks`: what the renderer's first page loads (issue 15: recharts and Monaco
 * only on the pages that use them). Reads the built renderer (`npm run build` first; or
 * BENCH_RENDERER=<out/renderer>), follows index.html's entry script through its static
 * `import … from "./x.js"` statements (dynamic `import()` is what loads later), and prints the
 * first-load chunks and their bytes, which chunks carry recharts or Monaco (by marker strings
 * their code always contains), and the first-load share of all JS. BENCH_RENDERER_BEFORE=<dir>
 * prints the same for another build, side by side. Prints; asserts nothing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIBS: Record<string, string> = { recharts: 'recharts-surface', monaco: 'monaco-editor' };

interface Graph {
  initial: string[];
  allBytes: number;
  initialBytes: number;
  libChunks: Record<string, { chunk: string; initial: boolean }[]>;
}

function analyse(dir: string): Graph {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entry = /<script[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error(`${dir}/index.html has no entry script`);
  const assets = join(dir, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const size = (f: string) => statSync(join(assets, f)).size;
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(assets, f), 'utf8');
    // Static imports only: `import{…}from"./x.js"` or `import"./x.js"`, not `import("./x.js")`.
    for (const m of code.matchAll(/import(?:[^(;"']*?from)?\s*"\.\/([^"]+\.js)"/g)) queue.push(m[1]!);
  }
  const libChunks: Graph['libChunks'] = {};
  for (const [lib, marker] of Object.entries(LIBS))
    libChunks[lib] = js
      .filter((f) => readFileSync(join(assets, f), 'utf8').includes(marker))
      .map((f) => ({ chunk: f, initial: seen.has(f) }));
  const initial = [...seen];
  return {
    initial,
    allBytes: js.reduce((n, f) => n + size(f), 0),
    initialBytes: initial.reduce((n, f) => n + size(f), 0),
    libChunks,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function report(label: string, dir: string): Graph {
  const g = analyse(dir);
  console.log(`${label}: ${dir}`);
  console.log(`  first load: ${g.initial.join(', ')}`);
  console.log(
    `  first-load JS ${kb(g.initialBytes)} of ${kb(g.allBytes)} (${((100 * g.initialBytes) / g.allBytes).toFixed(1)}%)`,
  );
  for (const [lib, chunks] of Object.entries(g.libChunks)) {
    const eager = chunks.filter((c) => c.initial).map((c) => c.chunk);
    console.log(
      `  ${lib}: in ${chunks.map((c) => c.chunk).join(', ') || 'no chunk'}; on the first page: ${eager.length ? `YES (${eager.join(', ')})` : 'no'}`,
    );
  }
  return g;
}

const dir = process.env.BENCH_RENDERER ?? join(__dirname, '..', 'out', 'renderer');
if (!existsSync(join(dir, 'index.html')))
  throw new Error(`${dir}/index.html not found: run \`npm run build\` first`);
const now = report('this build', dir);
const beforeDir = process.env.BENCH_RENDERER_BEFORE;
if (beforeDir) {
  const before = report('before', beforeDir);
  console.log(
    `first-load JS: ${kb(now.initialBytes)} vs ${kb(before.initialBytes)} before (${(now.initialBytes / before.initialBytes).toFixed(2)}x)`,
  );
}
