/**
 * A real Prometheus Alertmanager and a real Prometheus (remote-write receiver) for the ruler's
 * tests: installed by deploy/local/alerting.sh (Debian's packages), each started per test on a
 * free 127.0.0.1 port with its own data directory, and stopped when the test ends.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, waitUntil } from './env.js';
import { freePort } from './fjord-process.js';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
let binaries: { alertmanager: string; prometheus: string } | null = null;

/** Paths of the two binaries (installing them on first use). */
export function alertingBinaries(): { alertmanager: string; prometheus: string } {
  if (binaries) return binaries;
  const out = execFileSync('bash', ['deploy/local/alerting.sh', 'env'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const env = Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
  binaries = { alertmanager: env.ALERTMANAGER_BIN as string, prometheus: env.PROMETHEUS_BIN as string };
  return binaries;
}

/** A running service. */
export interface ServiceChild {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

async function startService(t: TestContext, name: string, bin: string, args: (port: number) => string[], port?: number): Promise<ServiceChild> {
  const p = port ?? (await freePort());
  const child = spawn(bin, args(p), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const url = `http://127.0.0.1:${p}`;
  await waitUntil(`${name} on ${url} to be ready`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
    const res = await fetch(`${url}/-/ready`).catch(() => null);
    return res?.status === 200;
  }, 30_000, 100);
  return { url, port: p, child, output: () => out, stop };
}

/** Alertmanager with one receiver and no clustering. */
export async function startAlertmanager(t: TestContext): Promise<ServiceChild> {
  const dir = await tempDir(t, 'fjord-am');
  const config = join(dir, 'am.yml');
  await writeFile(config, 'route:\n  receiver: default\n  group_wait: 1s\n  group_interval: 1s\nreceivers:\n  - name: default\n');
  return startService(t, 'alertmanager', alertingBinaries().alertmanager, (port) => [
    `--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ]);
}

/** Prometheus receiving remote writes (`/api/v1/write`), scraping nothing; `dir` and `port` to restart it on its data. */
export async function startPrometheus(t: TestContext, opts: { dir?: string; port?: number } = {}): Promise<ServiceChild & { readonly dir: string }> {
  const dir = opts.dir ?? (await tempDir(t, 'fjord-prom'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 1h\n');
  const s = await startService(t, 'prometheus', alertingBinaries().prometheus, (port) => [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
  ], opts.port);
  return { ...s, dir };
}

/** An alert as Alertmanager's API v2 lists it. */
export interface AmAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly status: { readonly state: string };
}

/** The alerts Alertmanager holds (active ones; resolved alerts are not listed). */
export async function alertmanagerAlerts(am: ServiceChild): Promise<AmAlert[]> {
  const res = await fetch(`${am.url}/api/v2/alerts`);
  if (!res.ok) throw new Error(`alertmanager answered ${res.status}`);
  return (await res.json()) as AmAlert[];
}

/** Raw samples of `selector` over the last `range` from Prometheus (a range-vector instant query). */
export async function prometheusSamples(prom: ServiceChild, selector: string, range = '10m'): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
  const q = new URLSearchParams({ query: `${selector}[${range}]`, time: String(Date.now() / 1000) });
  const res = await fetch(`${prom.url}/api/v1/query?${q}`);
  const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  if (body.status !== 'success') throw new Error(`prometheus query failed: ${JSON.stringify(body)}`);
  return body.data.result;
}
