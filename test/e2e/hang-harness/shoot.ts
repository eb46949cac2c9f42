// Screenshots of the Hang tab and Capture view in Debian Chromium with a mocked contract:
//   npx tsx test/e2e/hang-harness/shoot.ts [outDir]
// Prints the PNG paths. Used to look at the UI before the app shell's e2e setup exists.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { parseWct } from '../../../src/main/formats/wct/parse-wct';
import { analyzeHang } from '../../../src/main/analysis/hang/analyze-hang';
import { deadlockDoc, objNode, threadNode } from '../../unit/hang/wct-fixtures';

const out = process.argv[2] ?? join(__dirname, '..', '..', '..', '.tmp', 'screens');
mkdirSync(out, { recursive: true });

async function main(): Promise<void> {
  const bundle = join(out, 'harness.js');
  await build({
    entryPoints: [
      join(
        __dirname,
        '..',
        '..',
        '..',
        'src',
        'renderer',
        'src',
        'features',
        'hang',
        'harness',
        'harness.tsx',
      ),
    ],
    bundle: true,
    format: 'iife',
    jsx: 'automatic',
    outfile: bundle,
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const doc = deadlockDoc();
  // Plus a foreign-process SendMessage wait and a thread whose chain failed, for the picture.
  (doc.threads as unknown[]).push(
    {
      tid: 7200,
      isCycle: false,
      nodes: [threadNode(7200, 2100), objNode(2, 6), threadNode(9001, 0, 2, 1337)],
    },
    { tid: 7300, isCycle: false, nodes: [], error: 5 },
  );
  const analysis = analyzeHang(parseWct(JSON.stringify(doc)), { mainThreadId: 5120 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const shots: string[] = [];
  for (const [view, supported] of [
    ['hang', true],
    ['capture', true],
    ['capture', false],
  ] as const) {
    const html = join(out, `harness-${view}-${supported}.html`);
    writeFileSync(
      html,
      `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="harness.css"></head>` +
        `<body style="font-family:sans-serif;margin:0"><div id="root"></div>` +
        `<script>window.__HARNESS__=${JSON.stringify({ view, analysis, supported })}</script>` +
        `<script src="harness.js"></script></body></html>`,
    );
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${html}`);
    if (view === 'hang') {
      await page.getByTestId('hang-cycle').first().waitFor();
      await page.getByRole('button', { name: 'thread 6312' }).first().click();
    } else if (supported) {
      await page.getByTestId('capture-process').first().click();
      await page.getByTestId('capture-start').click();
      await page.getByTestId('capture-result').waitFor();
    } else await page.getByTestId('capture-unsupported').waitFor();
    const png = join(out, `${view}${supported ? '' : '-unsupported'}.png`);
    await page.screenshot({ path: png, fullPage: true });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    shots.push(png);
  }
  await browser.close();
  console.log(shots.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
