import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { bundledJsonFile, bundledJsonModule } from './src/main/analysis/bundled-json';

/** `electron-vite dev` only: fast refresh needs an inline preamble and the dev server's websocket. */
const devCsp: Plugin = {
  name: 'ctd-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:*"),
};

/** Bundled rule and module JSON, checked at build time (a file that would be refused fails the build). */
const bundledJson: Plugin = {
  name: 'ctd-bundled-json',
  enforce: 'pre',
  transform(code, id) {
    const file = bundledJsonFile(id);
    if (!file) return null;
    try {
      return { code: bundledJsonModule(file, code), map: null, moduleType: 'js' };
    } catch (e) {
      this.error(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
};

// Native and Node-only packages stay in node_modules at runtime; bundling them breaks .node loading.
const nodeExternals = ['better-sqlite3', 'ws', 'yauzl', 'yazl', 'iconv-lite', 'lossless-json'];

export default defineConfig({
  main: {
    plugins: [bundledJson],
    build: {
      // zod is bundled, not loaded from node_modules: `require("zod")` loads all of zod,
      // its ~40 locales included, ~85 ms of every process that validates anything; bundled,
      // only what is used is kept (issue 15: a no-change rescan of 1,000 incidents went from
      // 0.40 to 0.30 s CPU, 5 alternating runs). One copy, in the chunk every entry shares.
      externalizeDeps: { exclude: ['zod'] },
      outDir: 'out/main',
      rollupOptions: {
        external: nodeExternals,
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          serve: resolve(__dirname, 'src/main/server/main.ts'),
          // Scans analyse files in worker threads (src/main/sources/analysis-pool.ts).
          'analysis-worker': resolve(__dirname, 'src/main/sources/analysis-worker.ts'),
          // Exports scan big text files on worker threads too (src/main/privacy/scan-pool.ts).
          'scan-worker': resolve(__dirname, 'src/main/privacy/scan-worker.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages, so zod (for channel names) is bundled in.
      externalizeDeps: { exclude: ['zod'] },
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload can only be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), devCsp],
    // Deep imports into Monaco's ESM tree (see src/renderer/src/lib/monaco/monaco-lite.ts).
    resolve: { alias: { 'monaco-esm': resolve(__dirname, 'node_modules/monaco-editor/esm/vs') } },
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves renderer output unminified; Monaco alone is then ~7 MB.
      minify: true,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    worker: { format: 'es' },
  },
});
