// Turns the Kubernetes JSON schemas of the kubernetes-validate package (one file per kind whose
// $refs point into a shared _definitions.json) into kubeconform's standalone layout: one file per
// kind holding the definitions it reaches, refs local to the file.
//
//   node k8s-schemas.mjs <dir with _definitions.json> <output dir>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node k8s-schemas.mjs <from> <to>');
  process.exit(2);
}
const defs = JSON.parse(readFileSync(join(from, '_definitions.json'), 'utf8')).$defs;
const REF = /^(?:\/api\/_definitions\.json)?#\/\$defs\/(.+)$/;

// Rewrite every $ref to a local one; collect the definitions named.
function localise(node, named) {
  if (Array.isArray(node)) return node.map((n) => localise(n, named));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      const m = REF.exec(v);
      if (!m) throw new Error(`unexpected $ref ${v}`);
      named.add(m[1]);
      out[k] = `#/$defs/${m[1]}`;
    } else out[k] = localise(v, named);
  }
  return out;
}

mkdirSync(to, { recursive: true });
let written = 0;
for (const name of readdirSync(from)) {
  if (!name.endsWith('.json') || name === '_definitions.json' || name === 'all.json') continue;
  const { $id: _id, ...schema } = JSON.parse(readFileSync(join(from, name), 'utf8'));
  const todo = new Set();
  const out = localise(schema, todo);
  const reached = {};
  for (const d of todo) {
    if (d in reached) continue;
    if (!(d in defs)) throw new Error(`${name}: no definition ${d}`);
    reached[d] = localise(defs[d], todo);
  }
  writeFileSync(join(to, name), JSON.stringify({ ...out, $defs: reached }));
  written++;
}
console.error(`k8s schemas: ${written} standalone schemas in ${to}`);
