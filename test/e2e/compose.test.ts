/**
 * The compose file (deploy/compose): its services and mounts fit together (Kafka in KRaft mode,
 * the S3 server, Fjord's write/read/backend targets from the Dockerfile, Prometheus with the alert
 * rules, Grafana with the Loki data source and the dashboards), and Fjord's three services, run as
 * local processes with the compose file's own command lines, environment and config (Kafka, S3 and
 * the services' names pointed at the test's Kafka topic, bucket and processes), take pushes and
 * answer queries.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'node:test';
import { parse } from 'yaml';
import { kafkaBrokers, s3Settings, uniqueName, waitUntil } from '../helpers/env.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { projectRoot } from '../helpers/k8s-tools.js';
import { runWorkloads, type Workload } from '../helpers/manifest-targets.js';
import { freshBucket } from '../helpers/s3-bucket.js';

const COMPOSE = join(projectRoot, 'deploy/compose/docker-compose.yaml');

interface Service {
  readonly image?: string;
  readonly build?: { context: string };
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly environment?: Record<string, string | number>;
  readonly volumes?: string[];
  readonly ports?: string[];
}

function compose(): Record<string, Service> {
  return (parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;
}

/** Host path and container path of a bind mount (`./x:/y[:ro]`), or null for a named volume. */
function bindMount(spec: string): { host: string; container: string } | null {
  const [host, container] = spec.split(':') as [string, string];
  if (!host.startsWith('.')) return null;
  return { host: resolve(dirname(COMPOSE), host), container };
}

function fjordServices(services: Record<string, Service>): Array<[string, Service]> {
  return Object.entries(services).filter(([, s]) => s.build !== undefined);
}

test('compose: Kafka, S3, Fjord write/read/backend, Prometheus and Grafana fit together', () => {
  const services = compose();
  assert.match(String(services.kafka?.environment?.KAFKA_PROCESS_ROLES), /controller/, 'Kafka runs in KRaft mode');
  assert.ok(services.s3?.image?.startsWith('versity/versitygw:'));
  const fjord = fjordServices(services);
  assert.deepEqual(fjord.map(([, s]) => s.command?.find((a) => a.startsWith('-target='))).sort(), ['-target=backend', '-target=read', '-target=write']);
  for (const [name, s] of fjord) {
    assert.equal(resolve(dirname(COMPOSE), s.build?.context ?? ''), resolve(projectRoot), `${name}: built from the repository's Dockerfile`);
    assert.ok(s.volumes?.some((v) => v.endsWith(':/var/fjord')), `${name}: a volume for /var/fjord`);
  }
  for (const [name, s] of Object.entries(services)) {
    for (const v of s.volumes ?? []) {
      const m = bindMount(v);
      if (m) assert.ok(existsSync(m.host), `${name}: ${m.host} exists`);
    }
  }
  // Grafana: the Loki data source points at the read target; the dashboards are mounted where the provider reads them.
  const grafana = services.grafana as Service;
  const provisioning = bindMount((grafana.volumes ?? []).find((v) => v.includes(':/etc/grafana/provisioning')) ?? '');
  assert.ok(provisioning);
  const datasources = parse(readFileSync(join(provisioning.host, 'datasources/fjord.yaml'), 'utf8')) as { datasources: Array<{ type: string; url: string }> };
  const loki = datasources.datasources.find((d) => d.type === 'loki');
  assert.ok(loki);
  const readService = fjord.find(([, s]) => s.command?.includes('-target=read'))?.[0];
  assert.equal(loki.url, `http://${readService}:3100`);
  assert.ok(datasources.datasources.some((d) => d.type === 'prometheus' && d.url === 'http://prometheus:9090'));
  const provider = parse(readFileSync(join(provisioning.host, 'dashboards/fjord.yaml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
  const dashboards = (grafana.volumes ?? []).map(bindMount).find((m) => m?.container === provider.providers[0]?.options.path);
  assert.ok(dashboards && existsSync(join(dashboards.host, 'fjord-writes.json')), 'the dashboards are mounted at the provider path');
  // Prometheus scrapes every Fjord service and loads the alert rules.
  const prometheus = services.prometheus as Service;
  const promConfig = bindMount((prometheus.volumes ?? []).find((v) => v.includes('prometheus.yaml')) ?? '');
  assert.ok(promConfig);
  const prom = parse(readFileSync(promConfig.host, 'utf8')) as { rule_files: string[]; scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
  assert.deepEqual(prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)).sort(), fjord.map(([n]) => `${n}:3100`).sort());
  const rules = (prometheus.volumes ?? []).map(bindMount).find((m) => m !== null && prom.rule_files.some((f) => f.startsWith(m.container)));
  assert.ok(rules && existsSync(join(rules.host, 'fjord-alerts.yaml')), 'the alert rules are mounted where rule_files reads them');
});

test('compose: the Fjord services run as configured on Kafka and S3', { timeout: 180_000 }, async (t) => {
  const services = compose();
  const s3 = s3Settings();
  const bucket = await freshBucket(t);
  const topic = uniqueName('fjord-compose');
  const names = fjordServices(services).map(([n]) => n);
  const workloads: Workload[] = fjordServices(services).map(([name, s]) => {
    const files: Record<string, string> = {};
    let mountPath = '';
    for (const v of s.volumes ?? []) {
      const m = bindMount(v);
      if (!m) continue;
      mountPath = dirname(m.container);
      files[m.container.slice(mountPath.length + 1)] = readFileSync(m.host, 'utf8')
        .replace('kafka:9092', kafkaBrokers().join(', '))
        .replace('http://s3:7070', s3.endpoint)
        .replace('bucketnames: fjord', `bucketnames: ${bucket}`)
        .replace('topic: fjord.logs', `topic: ${topic}\n  consumer_group: ${topic}\n  consumer_session_timeout: 6s`);
    }
    const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, names.includes(String(v)) ? '127.0.0.1' : String(v)]));
    env.S3_ACCESS_KEY_ID = s3.accessKeyId;
    env.S3_SECRET_ACCESS_KEY = s3.secretAccessKey;
    return { name, kind: 'compose', args: s.command ?? [], env, configMounts: [{ path: mountPath, files }], services: [name] };
  });
  const running = await runWorkloads(t, workloads, 'compose');
  const by = (target: string) => running.find((r) => r.workload.args.includes(`-target=${target}`))?.child;
  const write = by('write');
  const read = by('read');
  const backend = by('backend');
  assert.ok(write && read && backend);
  const nowMs = Date.now();
  await pushStreams(write.url, 'fake', [{ labels: { app: 'compose' }, entries: [[BigInt(nowMs) * 1_000_000n, 'hello from compose']] }]);
  const q = new URLSearchParams({ query: '{app="compose"}', start: String(BigInt(nowMs - 60_000) * 1_000_000n), end: String(BigInt(nowMs + 60_000) * 1_000_000n) });
  await waitUntil('the pushed line on the read target', async () => {
    const body = (await (await fetch(`${read.url}/loki/api/v1/query_range?${q}`)).json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
    return body.data.result[0]?.values[0]?.[1] === 'hello from compose';
  }, 60_000, 250);
  await waitUntil('the backend compactor leads', async () => /^loki_boltdb_shipper_compactor_running 1$/m.test(await (await fetch(`${backend.url}/metrics`)).text()), 30_000, 200);
});
