import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const workspace = path.resolve(here, '../..');
const api = process.env.API_URL ?? 'http://localhost:3000';

/**
 * The web client. In production the API process serves dist/ under a strict CSP (script-src,
 * style-src, connect-src 'self'): Vite's build emits only external scripts and stylesheets, and
 * nothing here may add inline ones.
 */
export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    alias: { '@forum/shared': path.join(workspace, 'libs/shared/src/index.ts') },
  },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
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
});
