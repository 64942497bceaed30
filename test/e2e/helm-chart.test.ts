/**
 * The Helm chart (deploy/helm/fjord): `helm lint` and `helm template` pass for both deployment
 * modes, the rendered manifests validate against the Kubernetes schemas (kubeconform, strict),
 * and the rendered workloads, started as local processes on the real Kafka and S3 with the
 * chart's own config and arguments, take pushes and answer queries.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { kafkaBrokers, s3Settings, tempDir, uniqueName, waitUntil } from '../helpers/env.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { k8sToolsOrSkip, projectRoot, type K8sTools } from '../helpers/k8s-tools.js';
import { fjordWorkloads, parseManifests, runWorkloads, type RunningWorkload } from '../helpers/manifest-targets.js';
import { freshBucket } from '../helpers/s3-bucket.js';

const run = promisify(execFile);
const CHART = join(projectRoot, 'deploy/helm/fjord');
const NAMESPACE = 'logs';
const REQUIRED = { fjord: { kafka: { address: ['kafka:9092'] }, storage: { s3: { bucketnames: 'logs' } } } };

const tools = k8sToolsOrSkip();
const skip = 'skip' in tools ? tools.skip : false;

async function valuesFile(t: TestContext, values: Record<string, unknown>): Promise<string> {
  const path = join(await tempDir(t, 'fjord-helm'), 'values.yaml');
  await writeFile(path, stringify(values));
  return path;
}

async function helm(t: TestContext, k: K8sTools, verb: 'lint' | 'template', values: Record<string, unknown>, extra: readonly string[] = []): Promise<string> {
  const file = await valuesFile(t, values);
  const args = verb === 'lint'
    ? ['lint', CHART, '--strict', '-f', file, '--kube-version', k.kubeVersion]
    : ['template', 'fjord', CHART, '--namespace', NAMESPACE, '-f', file, '--kube-version', k.kubeVersion, ...extra];
  return (await run(k.helm, args, { maxBuffer: 16 << 20 })).stdout;
}

async function kubeconform(t: TestContext, k: K8sTools, manifests: string): Promise<string> {
  const file = join(await tempDir(t, 'fjord-kubeconform'), 'manifests.yaml');
  await writeFile(file, manifests);
  // ServiceMonitor is a prometheus-operator CRD: its schema is not among Kubernetes' own; its
  // shape is checked below instead.
  const { stdout } = await run(k.kubeconform, ['-strict', '-summary', '-kubernetes-version', k.kubeVersion, '-schema-location', k.schemas, '-skip', 'ServiceMonitor', file]);
  return stdout;
}

const VARIANTS: ReadonlyArray<{ name: string; values: Record<string, unknown>; extra?: string[] }> = [
  { name: 'SimpleScalable (default)', values: REQUIRED },
  {
    name: 'Distributed, zone-aware ingesters, Ingress, ServiceMonitor, in-chart Kafka and S3',
    values: {
      deploymentMode: 'Distributed',
      ingester: { zoneAwareReplication: { enabled: true } },
      compactor: { replicas: 2 },
      ingress: { enabled: true, hosts: ['logs.example.com'] },
      monitoring: { serviceMonitor: { enabled: true } },
      examples: { kafka: { enabled: true }, s3: { enabled: true } },
    },
    extra: ['--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'],
  },
  {
    name: 'Distributed, credentials from existing Secrets, no persistence',
    values: {
      deploymentMode: 'Distributed',
      fjord: { ...REQUIRED.fjord, kafka: { ...REQUIRED.fjord.kafka, saslSecret: 'kafka-creds' }, storage: { s3: { bucketnames: 'logs', existingSecret: 's3-creds' } } },
      ingester: { persistence: { enabled: false } },
    },
  },
];

for (const v of VARIANTS) {
  test(`helm chart: ${v.name}: lint, template and kubeconform pass`, { skip }, async (t) => {
    const k = tools as K8sTools;
    const lint = await helm(t, k, 'lint', v.values);
    assert.match(lint, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    const text = await helm(t, k, 'template', v.values, v.extra);
    const summary = await kubeconform(t, k, text);
    assert.match(summary, /Invalid: 0, Errors: 0/, summary);
    const docs = parseManifests(text);
    const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet');
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      const c = pod.containers[0];
      if (c.name !== 'fjord') continue;
      assert.equal(c.readinessProbe.httpGet.path, '/ready', `${w.metadata.name}: readiness on /ready`);
      assert.ok(c.resources.requests, `${w.metadata.name}: resources`);
      const grace = Number(/-server\.graceful-shutdown-timeout=(\d+)s/.exec(c.args.join(' '))?.[1]);
      assert.ok(grace > 0 && grace < pod.terminationGracePeriodSeconds, `${w.metadata.name}: graceful shutdown within the grace period`);
      assert.ok(c.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/var/fjord'), `${w.metadata.name}: /var/fjord mounted`);
      if (/ingester|write/.test(w.metadata.name)) {
        assert.equal(w.kind, 'StatefulSet');
        assert.ok(pod.terminationGracePeriodSeconds >= 300, `${w.metadata.name}: time to flush on shutdown`);
        const persistent = (v.values.ingester as { persistence?: { enabled?: boolean } } | undefined)?.persistence?.enabled !== false;
        assert.equal(w.spec.volumeClaimTemplates?.[0]?.metadata.name === 'data', persistent, `${w.metadata.name}: PVC`);
      }
    }
    for (const w of workloads.filter((d) => d.spec.replicas > 1 && d.spec.template.spec.containers[0].name === 'fjord')) {
      assert.ok(docs.some((d) => d.kind === 'PodDisruptionBudget' && d.metadata.name === w.metadata.name), `${w.metadata.name}: PodDisruptionBudget`);
    }
    const monitor = docs.find((d) => d.kind === 'ServiceMonitor');
    if (monitor) {
      assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
      const scraped = docs.filter((d) => d.kind === 'Service' && Object.entries(monitor.spec.selector.matchLabels).every(([key, val]) => d.metadata.labels[key] === val)
        && d.metadata.labels['prometheus.io/service-monitor'] !== 'false');
      const components = fjordWorkloads(docs).map((w) => w.name);
      assert.equal(scraped.length, components.length, 'one scraped Service per component');
      for (const s of scraped) assert.ok(s.spec.ports.some((p: { name: string }) => p.name === monitor.spec.endpoints[0].port), `${s.metadata.name}: port ${monitor.spec.endpoints[0].port}`);
    }
  });
}

test('helm chart: a missing Kafka address or bucket stops the render with a clear message', { skip }, async (t) => {
  const k = tools as K8sTools;
  await assert.rejects(helm(t, k, 'template', { fjord: { storage: { s3: { bucketnames: 'b' } } } }), /fjord\.kafka\.address is required/);
  await assert.rejects(helm(t, k, 'template', { fjord: { kafka: { address: ['k:9092'] } } }), /fjord\.storage\.s3\.bucketnames is required/);
  await assert.rejects(helm(t, k, 'template', { ...REQUIRED, deploymentMode: 'Monolith' }), /deploymentMode must be Distributed or SimpleScalable/);
});

/** Values pointing the chart at the test's Kafka topic and S3 bucket, with short intervals. */
async function testValues(t: TestContext, mode: string, extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  const s3 = s3Settings();
  const topic = uniqueName('fjord-helm');
  return {
    deploymentMode: mode,
    fjord: {
      kafka: { address: kafkaBrokers(), topic, consumerGroup: topic, partitions: 2 },
      storage: { s3: { endpoint: s3.endpoint, region: s3.region, bucketnames: await freshBucket(t), s3forcepathstyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } },
      limits_config: { reject_old_samples: false },
      structuredConfig: {
        kafka_config: { consumer_session_timeout: '6s', consumer_group_offset_commit_interval: '500ms' },
        ingester: { flush_check_period: '1s', index_upload_interval: '2s' },
      },
    },
    ...extra,
  };
}

async function metricsText(r: RunningWorkload): Promise<string> {
  return (await fetch(`${r.child.url}/metrics`)).text();
}

function byName(running: readonly RunningWorkload[], suffix: string): RunningWorkload {
  const r = running.find((x) => x.workload.name.endsWith(suffix));
  assert.ok(r, `a workload named *${suffix}`);
  return r;
}

async function pushAndQuery(push: RunningWorkload, query: RunningWorkload): Promise<void> {
  const nowMs = Date.now();
  const lines = Array.from({ length: 20 }, (_, i) => [BigInt(nowMs - 60_000 + i * 1000) * 1_000_000n, `chart line ${i}`] as const);
  await pushStreams(push.child.url, 'team-a', [{ labels: { app: 'chart', env: 'test' }, entries: lines }]);
  const q = new URLSearchParams({ query: '{app="chart"}', start: String(BigInt(nowMs - 120_000) * 1_000_000n), end: String(BigInt(nowMs + 60_000) * 1_000_000n), limit: '100' });
  const got = await waitUntil('the pushed lines through the query path', async () => {
    const res = await fetch(`${query.child.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': 'team-a' } });
    if (res.status !== 200) return null;
    const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
    const values = body.data.result.flatMap((s) => s.values.map((x) => x[1]));
    return values.length === lines.length ? values : null;
  }, 60_000, 250);
  assert.deepEqual(new Set(got), new Set(lines.map((l) => l[1])));
  const unauth = await fetch(`${query.child.url}/loki/api/v1/query_range?${q}`);
  assert.equal(unauth.status, 401, 'auth_enabled from the chart: no X-Scope-OrgID is refused');
}

test('helm chart: Distributed mode with zone-aware ingesters runs as rendered on Kafka and S3', { skip, timeout: 240_000 }, async (t) => {
  const k = tools as K8sTools;
  const values = await testValues(t, 'Distributed', { ingester: { zoneAwareReplication: { enabled: true, zones: [{ name: 'zone-a' }, { name: 'zone-b' }] } } });
  const docs = parseManifests(await helm(t, k, 'template', values));
  const workloads = fjordWorkloads(docs);
  assert.deepEqual(workloads.map((w) => w.name).sort(), [
    'fjord-compactor', 'fjord-distributor', 'fjord-ingester-zone-a', 'fjord-ingester-zone-b', 'fjord-querier', 'fjord-query-frontend',
  ]);
  const running = await runWorkloads(t, workloads, NAMESPACE);
  for (const zone of ['zone-a', 'zone-b']) {
    await waitUntil(`${zone} owns partitions`, async () => /loki_kafka_client_partition_reader_last_committed_offset\{partition="\d+"\}/.test(await metricsText(byName(running, zone))), 30_000, 200);
  }
  await pushAndQuery(byName(running, '-distributor'), byName(running, '-query-frontend'));
  await waitUntil('the one compactor leads', async () => /^loki_boltdb_shipper_compactor_running 1$/m.test(await metricsText(byName(running, '-compactor'))), 30_000, 200);
});

test('helm chart: SimpleScalable mode runs as rendered on Kafka and S3', { skip, timeout: 240_000 }, async (t) => {
  const k = tools as K8sTools;
  const docs = parseManifests(await helm(t, k, 'template', await testValues(t, 'SimpleScalable', {})));
  const workloads = fjordWorkloads(docs);
  assert.deepEqual(workloads.map((w) => w.name).sort(), ['fjord-backend', 'fjord-read', 'fjord-write']);
  const running = await runWorkloads(t, workloads, NAMESPACE);
  await pushAndQuery(byName(running, '-write'), byName(running, '-read'));
});
