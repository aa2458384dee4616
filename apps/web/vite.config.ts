import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const workspace = path.resolve(here, '../..');
const api = process.env.API_URL ?? 'http://localhost:3000';

/**
 * The web client, built twice: for the browser (dist/) and, with --ssr, the server-rendering entry
 * (dist/server/). In production the API process serves dist/ under a strict CSP (script-src,
 * style-src, connect-src 'self'): Vite's build emits only external scripts and stylesheets, and
 * nothing here may add inline ones.
 */
export default defineConfig(({ isSsrBuild }) => ({
  root: here,
  plugins: [react()],
  resolve: {
    alias: { '@forum/shared': path.join(workspace, 'libs/shared/src/index.ts') },
  },
  build: isSsrBuild
    ? {
        // The server-rendering entry (`vite build --ssr`): dist/server/entry-server.js, which the API
        // imports by path at start-up. Packages stay imports of node_modules.
        outDir: path.join(here, 'dist/server'),
        emptyOutDir: true,
        copyPublicDir: false,
        target: 'node20',
        rollupOptions: { input: path.join(here, 'src/entry-server.tsx') },
      }
    : {
        outDir: path.join(here, 'dist'),
        emptyOutDir: true,
        target: 'es2022',
        reportCompressedSize: true,
        // dist/.vite/manifest.json: the server reads each page's chunk and CSS from it to preload them.
        manifest: true,
        // The polyfill would be bundled, not inlined, but every browser we serve supports modulepreload.
        modulePreload: { polyfill: false },
        chunkSizeWarningLimit: 400,
      },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
    },
  },
}));
