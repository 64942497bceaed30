/**
 * `npm run bench`: runs every suite under dist/test/bench (files ending in `.bench.js` that export
 * `suite`), prints one table of figures beside their same-run references, and writes
 * test/bench/results.json. Arguments filter suites by file name.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalServices, type LocalServices } from '../helpers/local-services.js';
import type { BenchFigure, BenchSuite } from './harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = fileURLToPath(new URL('../../../test/bench/results.json', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();

const suites: BenchSuite[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { suite?: BenchSuite };
  if (mod.suite) suites.push(mod.suite);
}
let services: LocalServices | null = null;
if (suites.some((s) => s.needsServices)) {
  try {
    services = await startLocalServices(process.env);
  } catch {
    console.error('could not start Kafka and the S3 server through deploy/local/ (see above); set KAFKA_BROKERS and S3_ENDPOINT to use running ones');
    process.exit(1);
  }
}
Object.assign(process.env, services?.env ?? {});

const rows: Array<{ suite: string } & BenchFigure> = [];
try {
  for (const suite of suites) {
    console.error(`== ${suite.name}`);
    for (const figure of await suite.run()) {
      rows.push({ suite: suite.name, ...figure });
      console.error(`   ${figure.name}: ${figure.figure.value} ${figure.figure.unit}`);
    }
  }
} finally {
  await services?.stop();
}

const table = rows.map((r) => ({
  suite: r.suite,
  benchmark: r.name,
  figure: `${r.figure.value} ${r.figure.unit}`,
  reference: `${r.reference.label}: ${r.reference.value} ${r.reference.unit}`,
  ratio: r.figure.unit === r.reference.unit && r.reference.value > 0 ? (r.figure.value / r.reference.value).toFixed(3) : '',
  note: r.note ?? '',
}));
console.table(table);
writeFileSync(resultsPath, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
console.log(`results written to ${resultsPath}`);
