/**
 * `npm test`: runs every compiled test file under dist/test with node:test. When a selected file
 * needs the real services (contract, integration, e2e and fault suites) and KAFKA_BROKERS /
 * S3_ENDPOINT are not given, it starts Kafka and the S3 server with deploy/local/ first and stops
 * what it started at the end. Arguments filter test files by path substring.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalServices, type LocalServices } from './helpers/local-services.js';

const distTest = fileURLToPath(new URL('.', import.meta.url));
const sourceTest = fileURLToPath(new URL('../../test/', import.meta.url));
const SERVICE_SUITES = ['contract', 'integration', 'e2e', 'fault'];

function listTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    // a compiled test whose source is gone (moved or deleted) is left over in dist/: skip it
    else if (name.endsWith('.test.js') && existsSync(join(sourceTest, relative(distTest, path)).replace(/\.js$/, '.ts'))) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = listTests(distTest).filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const needsServices = files.some((f) => SERVICE_SUITES.includes(relative(distTest, f).split(sep)[0] ?? ''));

let services: LocalServices | null = null;
if (needsServices) {
  try {
    services = await startLocalServices(process.env);
  } catch {
    console.error('could not start Kafka and the S3 server through deploy/local/ (see above); set KAFKA_BROKERS and S3_ENDPOINT to use running ones');
    process.exit(1);
  }
}
const env = { ...process.env, ...(services?.env ?? {}) };
const concurrency = process.env.FJORD_TEST_CONCURRENCY ?? '2';
// the spec reporter ends with the failing tests and their errors, so the tail of a long run says what failed
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-concurrency=${concurrency}`, `--test-timeout=${process.env.FJORD_TEST_TIMEOUT_MS ?? '300000'}`, ...files], {
  stdio: 'inherit',
  env,
});
await services?.stop();
process.exit(result.status ?? 1);
