import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const backend = 'http://localhost:8080';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      // Types only (import type): the contracts are the server's, shared by every package.
      '@hazard/server/contracts': fileURLToPath(new URL('../server/src/contracts/index.ts', import.meta.url)),
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
  build: { outDir: 'dist', chunkSizeWarningLimit: 1500 },
  test: { environment: 'happy-dom', include: ['src/**/*.spec.ts'] },
});
