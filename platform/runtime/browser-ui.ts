/**
 * Serves Fjord's browser UI, built by `npm run build` (Vite) into dist/ui/site: the log explorer at `/`
 * (on targets that serve queries), the cluster status page at `/status`, and their assets under
 * `/ui/`. The built files are read once, when the routes are registered; nothing comes from a CDN.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FjordConfig } from '../../schemas/config/index.js';
import { modulesFor } from './targets.js';

/** Where the build puts the UI: dist/ui/site (dist/ui beside dist/platform). */
const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/site/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
};

const NOT_BUILT = "Fjord's browser UI is not built: run `npm run build` (it writes dist/ui/site).\n";

/** Whether a process of this config answers Loki's query API (so the explorer has something to ask). */
export function servesQueries(cfg: FjordConfig): boolean {
  const modules = modulesFor(cfg.target);
  return modules.includes('query-frontend') || (modules.includes('querier') && cfg.frontend_worker.frontend_address === '');
}

/** Every file under `dir` by its path relative to it (with `/`); empty when `dir` does not exist. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path).split(sep).join('/'), readFileSync(path));
    }
  };
  try {
    walk(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

/** Register the UI routes on `app`; `explorer` false leaves `/` unanswered (404). */
export function registerBrowserUi(app: FastifyInstance, opts: { readonly explorer: boolean; readonly dir?: string }): void {
  const files = readTree(opts.dir ?? DEFAULT_UI_DIR);
  const page = (file: string) => async (_req: unknown, reply: FastifyReply) => {
    const body = files.get(file);
    if (body === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.type(CONTENT_TYPES['.html'] as string).header('cache-control', 'no-cache').send(body);
  };
  if (opts.explorer) app.get('/', page('index.html'));
  app.get('/status', page('status/index.html'));
  app.get('/ui/*', async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const body = files.get(path);
    if (body === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n');
    // Vite names assets by their content hash, so they never change under one name.
    const cache = path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply.type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream').header('cache-control', cache).send(body);
  });
}
