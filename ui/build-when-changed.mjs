// `npm start`'s UI step: build the browser UI with Vite only when a file under ui/ (or the
// package manifest) is newer than the last build in dist/ui/site, so a start after
// `npm install` (whose prepare step built it) does not wait for Vite again.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = fileURLToPath(new URL('.', import.meta.url));
const built = fileURLToPath(new URL('../dist/ui/site/index.html', import.meta.url));

function newestMs(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMs(path) : st.mtimeMs);
  }
  return newest;
}

let builtMs = 0;
try {
  builtMs = statSync(built).mtimeMs;
} catch {
  // never built
}
const sourcesMs = Math.max(newestMs(ui), statSync(fileURLToPath(new URL('../package-lock.json', import.meta.url))).mtimeMs);
if (sourcesMs > builtMs) {
  const { build } = await import('vite');
  await build({ configFile: join(ui, 'vite.config.mjs') });
}
