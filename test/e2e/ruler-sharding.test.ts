/**
 * Two rulers on real Kafka and S3 share the rule groups of the bucket through the consumer group
 * on `<topic>.ruler`: every group is evaluated by exactly one of them, either answers the rules
 * API with all groups (asking the other), and when one stops the other takes all its groups. The
 * groups live in a bucket of their own (`ruler.storage.type: s3`).
 */
import assert from 'node:assert/strict';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { test } from 'node:test';
import { groupShard } from '../../query/ruler/group-schedule.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import { s3Settings, waitUntil } from '../helpers/env.js';
import { freshBucket } from '../helpers/s3-bucket.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { fjordRules, postGroup } from '../helpers/ruler-helpers.js';

const TENANT = 'team-a';
const SHARDS = 4;
const FLAGS = [`-ruler.shard-count=${SHARDS}`, '-ruler.poll-interval=1s', '-ruler.evaluation-interval=1s'];

/** Group names covering every shard twice. */
function groupNames(): string[] {
  const names: string[] = [];
  const perShard = new Map<number, number>();
  for (let i = 0; names.length < 2 * SHARDS; i++) {
    const name = `g${i}`;
    const shard = groupShard({ tenant: TENANT, namespace: 'beats', name }, SHARDS);
    if ((perShard.get(shard) ?? 0) >= 2) continue;
    perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    names.push(name);
  }
  return names.sort();
}

async function localGroups(f: FjordChild): Promise<string[]> {
  const res = await fetch(`${f.url}/ruler/internal/groups`, { headers: { 'X-Scope-OrgID': TENANT } });
  return ((await res.json()) as Array<{ name: string; lastEvaluation: string }>).filter((g) => !g.lastEvaluation.startsWith('0001')).map((g) => g.name).sort();
}

test('two rulers split the groups by shard; the survivor takes them all', { timeout: 180_000 }, async (t) => {
  const rules = await freshBucket(t);
  const s3 = s3Settings();
  const c = await newCluster(t, 2, [
    ...FLAGS, '-ruler.storage.type=s3', `-ruler.storage.s3.endpoint=${s3.endpoint}`, `-ruler.storage.s3.buckets=${rules}`,
    `-ruler.storage.s3.access-key-id=${s3.accessKeyId}`, `-ruler.storage.s3.secret-access-key=${s3.secretAccessKey}`, '-ruler.storage.s3.force-path-style',
  ]);
  const a = await startRole(t, c, 'ruler');
  const names = groupNames();
  for (const name of names) {
    const posted = await postGroup(a, TENANT, 'beats', `name: ${name}\ninterval: 1s\nrules:\n  - record: fjord:beat:${name}\n    expr: vector(1)\n`);
    assert.equal(posted.status, 202, posted.text);
  }
  await waitUntil('ruler A evaluating every group', async () => (await localGroups(a)).length === names.length, 60_000, 500);
  const b = await startRole(t, c, 'ruler');
  const split = await waitUntil('the groups split over both rulers', async () => {
    const [ga, gb] = [await localGroups(a), await localGroups(b)];
    const disjoint = ga.every((n) => !gb.includes(n));
    return ga.length > 0 && gb.length > 0 && disjoint && ga.length + gb.length === names.length ? { ga, gb } : null;
  }, 90_000, 500);
  assert.deepEqual([...(split?.ga ?? []), ...(split?.gb ?? [])].sort(), names);
  for (const f of [a, b]) {
    const all = await fjordRules(f, TENANT);
    assert.deepEqual(all.body.data.groups.map((g: { name: string }) => g.name).sort(), names, 'either ruler lists every group');
  }
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: rules, Prefix: `rules/${TENANT}/` }));
  client.destroy();
  assert.equal(listed.KeyCount, names.length, 'one object per group in the rules bucket');
  assert.equal(await b.stop(), 0);
  await waitUntil('ruler A evaluating every group again', async () => (await localGroups(a)).length === names.length, 60_000, 500);
});
