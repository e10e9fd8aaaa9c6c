// Builds the viewer into web/dist: one page, its script and styles, everything bundled (NiiVue
// included), so the page needs no network beyond the csf-net server that serves it.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
});
