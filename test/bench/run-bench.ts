/**
 * `npm run bench`: runs every suite under dist/test/bench (files ending in `.bench.js` that export
 * `suite`), each in its own Node process so that no suite's heap or worker threads weigh on the
 * next one's figures, prints one table of figures beside their same-run references, and writes
 * test/bench/results.json. Arguments filter suites by file name.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalServices, type LocalServices } from '../helpers/local-services.js';
import type { BenchFigure, BenchSuite } from './harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);
const resultsPath = fileURLToPath(new URL('../../../test/bench/results.json', import.meta.url));
/** Set in a child: the suite file it runs and where it writes its figures. */
const CHILD_FILE = 'FJORD_BENCH_FILE';
const CHILD_OUT = 'FJORD_BENCH_OUT';

type Row = { suite: string } & BenchFigure;

async function loadSuite(file: string): Promise<BenchSuite | undefined> {
  return ((await import(pathToFileURL(join(here, file)).href)) as { suite?: BenchSuite }).suite;
}

/** In a child process: run one suite and write its rows as JSON. */
async function runChild(file: string, out: string): Promise<void> {
  const suite = await loadSuite(file);
  if (!suite) return;
  console.error(`== ${suite.name}`);
  const rows: Row[] = [];
  for (const figure of await suite.run()) {
    rows.push({ suite: suite.name, ...figure });
    console.error(`   ${figure.name}: ${figure.figure.value} ${figure.figure.unit}`);
  }
  writeFileSync(out, JSON.stringify(rows));
}

async function runAll(filters: readonly string[]): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
    .sort();
  const suites: Array<{ file: string; suite: BenchSuite }> = [];
  for (const file of files) {
    const suite = await loadSuite(file);
    if (suite) suites.push({ file, suite });
  }
  let services: LocalServices | null = null;
  if (suites.some((s) => s.suite.needsServices)) {
    try {
      services = await startLocalServices(process.env);
    } catch {
      console.error('could not start Kafka and the S3 server through deploy/local/ (see above); set KAFKA_BROKERS and S3_ENDPOINT to use running ones');
      process.exit(1);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'fjord-bench-rows-'));
  const rows: Row[] = [];
  let failed = false;
  try {
    for (const { file } of suites) {
      const out = join(dir, `${file}.json`);
      const child = spawnSync(process.execPath, [self], {
        env: { ...process.env, ...services?.env, [CHILD_FILE]: file, [CHILD_OUT]: out },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (child.status !== 0) {
        console.error(`${file}: the suite failed (exit ${child.status ?? child.signal})`);
        failed = true;
        continue;
      }
      rows.push(...(JSON.parse(readFileSync(out, 'utf8')) as Row[]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await services?.stop();
  }
  console.table(rows.map((r) => ({
    suite: r.suite,
    benchmark: r.name,
    figure: `${r.figure.value} ${r.figure.unit}`,
    reference: `${r.reference.label}: ${r.reference.value} ${r.reference.unit}`,
    ratio: r.figure.unit === r.reference.unit && r.reference.value > 0 ? (r.figure.value / r.reference.value).toFixed(3) : '',
    note: r.note ?? '',
  })));
  writeFileSync(resultsPath, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
  console.log(`results written to ${resultsPath}`);
  if (failed) process.exit(1);
}

const childFile = process.env[CHILD_FILE];
const childOut = process.env[CHILD_OUT];
if (childFile && childOut) await runChild(childFile, childOut);
else await runAll(process.argv.slice(2));
