import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/** `electron-vite dev` only: fast refresh needs an inline preamble and the dev server's websocket. */
const devCsp: Plugin = {
  name: 'ctd-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:*"),
};

// Native and Node-only packages stay in node_modules at runtime; bundling them breaks .node loading.
const nodeExternals = ['better-sqlite3', 'ws', 'yauzl', 'yazl', 'iconv-lite', 'lossless-json', 'zod'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      outDir: 'out/main',
      rollupOptions: {
        external: nodeExternals,
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          serve: resolve(__dirname, 'src/main/server/main.ts'),
          // Scans analyse files in worker threads (src/main/sources/analysis-pool.ts).
          'analysis-worker': resolve(__dirname, 'src/main/sources/analysis-worker.ts'),
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
