/**
 * The folder rules of DESIGN.md §7, read from every import statement of the source tree: schemas/
 * imports nothing of ours outside itself; platform/ only schemas/; pipeline/ not consumers/ or
 * query/; consumers/ and query/ not pipeline/ and not each other; ui/ (the browser UI, built by
 * Vite) imports no server folder at all: it speaks to Fjord over HTTP only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Top-level folders a folder may not import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
  schemas: ['platform', 'pipeline', 'consumers', 'query'],
  platform: ['pipeline', 'consumers', 'query'],
  pipeline: ['consumers', 'query'],
  consumers: ['pipeline', 'query'],
  query: ['pipeline', 'consumers'],
  ui: ['schemas', 'platform', 'pipeline', 'consumers', 'query'],
};

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file's import and export-from statements (and dynamic imports). */
export function importSpecifiers(src: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of src.matchAll(re)) out.push((m[1] ?? m[2]) as string);
  return out;
}

/** The top-level folder a specifier in `file` points into. */
function topFolder(file: string, spec: string): string {
  const target = normalize(join(dirname(file), spec));
  return target.split(sep)[0] ?? '';
}

test('importSpecifiers: finds multi-line, type-only, re-export and dynamic imports', () => {
  const src = [
    "import {\n  a,\n  b,\n} from '../x/index.js';",
    "import type { T } from './t.js';",
    "export * from '../y.js';",
    "const m = await import('../../z.js');",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  assert.deepEqual(importSpecifiers(src), ['../x/index.js', './t.js', '../y.js', '../../z.js']);
});

for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
  test(`layout: ${folder}/ imports nothing from ${forbidden.join(', ')}`, () => {
    const files = sources(folder);
    assert.ok(files.length > 0, `${folder}/ has no sources`);
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
        const top = topFolder(file, spec);
        if (forbidden.includes(top)) bad.push(`${relative('.', file)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });
}
