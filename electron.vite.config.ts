import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

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
    plugins: [react()],
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
