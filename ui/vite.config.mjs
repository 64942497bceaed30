// Vite builds the browser UI (the explorer at / and the status page at /status) from ui/ into
// dist/ui/site, which Fjord's HTTP server serves under /ui/ with no CDN at run time. (tsc puts the
// UI's pure modules beside it, in dist/ui/explorer, for their unit tests.)
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  logLevel: 'warn',
  build: {
    outDir: here('../dist/ui/site'),
    emptyOutDir: true,
    rollupOptions: { input: { explorer: here('index.html'), status: here('status/index.html') } },
  },
});
