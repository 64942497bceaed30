/**
 * A Fjord cluster of real processes for end-to-end and fault tests: distributors, ingesters and
 * queriers as separate `fjord` processes sharing one Kafka topic and one S3 bucket, with short
 * flush, upload and commit intervals so tests run in seconds.
 */
import type { TestContext } from 'node:test';
import { kafkaBrokers, s3Settings, tempDir, uniqueName, waitUntil } from './env.js';
import { startFjord, waitReady, type FjordChild } from './fjord-process.js';
import { freshBucket } from './s3-bucket.js';

/** What the processes of one cluster share. */
export interface ClusterSpec {
  readonly topic: string;
  readonly bucket: string;
  readonly partitions: number;
  /** Where the S3 server is, when not the default one of the test run. */
  readonly s3Endpoint?: string;
  /** Flags added to every process. */
  readonly extra?: readonly string[];
}

/** A fresh topic and bucket for a test. */
export async function newCluster(t: TestContext, partitions = 4, extra: readonly string[] = []): Promise<ClusterSpec> {
  return { topic: uniqueName('fjord-e2e'), bucket: await freshBucket(t), partitions, extra };
}

/** The flags every process of the cluster gets. */
export function clusterFlags(c: ClusterSpec): string[] {
  const s3 = s3Settings();
  return [
    '-auth.enabled=true',
    `-kafka.address=${kafkaBrokers().join(',')}`,
    `-kafka.topic=${c.topic}`,
    `-kafka.auto-create-topic-default-partitions=${c.partitions}`,
    '-kafka.consumer-group-offset-commit-interval=500ms',
    '-kafka.consumer-session-timeout=6s',
    `-kafka.consumer-group=${c.topic}`,
    `-common.storage.s3.endpoint=${c.s3Endpoint ?? s3.endpoint}`,
    `-common.storage.s3.buckets=${c.bucket}`,
    `-common.storage.s3.access-key-id=${s3.accessKeyId}`,
    `-common.storage.s3.secret-access-key=${s3.secretAccessKey}`,
    '-common.storage.s3.force-path-style',
    '-common.storage.s3.max-retries=2',
    '-common.instance-addr=127.0.0.1',
    '-ingester.flush-check-period=1s',
    '-ingester.index-upload-interval=2s',
    '-validation.reject-old-samples=false',
    ...(c.extra ?? []),
  ];
}

/** Start one process of the cluster with `target` (and its own data directory unless given). */
export async function startRole(t: TestContext, c: ClusterSpec, target: string, opts: { dir?: string; flags?: readonly string[]; ready?: boolean } = {}): Promise<FjordChild> {
  const dir = opts.dir ?? (await tempDir(t, `fjord-${target}`));
  const f = await startFjord(t, [`-target=${target}`, `-common.path-prefix=${dir}`, ...clusterFlags(c), ...(opts.flags ?? [])]);
  if (opts.ready !== false) await waitReady(f, 90_000);
  return f;
}

/** Read a metric's value (the sum over its label sets matching `labels`) from `/metrics`. */
export async function metric(f: FjordChild, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${f.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Wait until every partition of the ingester group has an owner. */
export async function waitForOwners(f: FjordChild, partitions: number): Promise<void> {
  await waitUntil('every partition owned', async () => {
    const text = await (await fetch(`${f.url}/metrics`)).text();
    const owned = new Set([...text.matchAll(/^loki_kafka_client_partition_reader_last_committed_offset\{partition="(\d+)"\}/gm)].map((m) => m[1]));
    return owned.size >= partitions;
  }, 60_000, 200);
}
