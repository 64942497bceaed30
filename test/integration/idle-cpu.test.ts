/**
 * An idle process costs next to nothing: a distributor and an ingester on the real Kafka broker
 * and S3 server, after some pushes, use under IDLE_CORE_SHARE of a core while nothing arrives
 * (kafkajs 2.2.4's request queue alone would spend about 3 % per process on a 1 ms timer, its
 * request-timeout check ten wakeups a second per connection, and prom-client's default event-loop
 * sampling another 0.6 %). The figure is the median of several windows: V8's memory reducer
 * collects the whole heap once, 8 to 15 s after the allocations of start-up and the pushes slow
 * down, a one-off of about 0.1 CPU-s that is not what an idle process keeps spending, while a
 * steady cost shows in every window.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { uniqueName } from '../helpers/env.js';
import { pushStreams, someStreams } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';

const IDLE_CORE_SHARE = 0.015;
const SETTLE_MS = 3_000;
const WINDOW_MS = 4_000;
const WINDOWS = 5;
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_S = 100;

async function cpuSeconds(f: FjordChild): Promise<number> {
  const stat = await readFile(`/proc/${f.child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** Resolve after `ms` (the measuring window itself, not a wait for a condition). */
function elapse(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const kafka = BACKENDS.find((b) => b.name === 'kafka+s3');

test('an idle distributor and an idle ingester use under 1.5 % of a core', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async (t) => {
  assert.ok(kafka);
  const file = await kafka.config(t, { ingester: { availability_zone: uniqueName('zone') } });
  const configFlag = `-config.file=${await writeConfigFile(file)}`;
  const distributor = await startFjord(t, [configFlag, '-target=distributor']);
  const ingester = await startFjord(t, [configFlag, '-target=ingester']);
  await waitReady(distributor, 60_000);
  await waitReady(ingester, 60_000);
  await pushStreams(distributor.url, 'tenant-idle', someStreams(4, 10, Date.now()));
  await elapse(SETTLE_MS);
  const shares: number[][] = [[], []];
  let before = await Promise.all([cpuSeconds(distributor), cpuSeconds(ingester)]);
  for (let w = 0; w < WINDOWS; w++) {
    await elapse(WINDOW_MS);
    const after = await Promise.all([cpuSeconds(distributor), cpuSeconds(ingester)]);
    after.forEach((a, p) => shares[p]?.push((a - (before[p] as number)) / (WINDOW_MS / 1000)));
    before = after;
  }
  const share = shares.map(median);
  const [d, i] = share.map((s) => `${(s * 100).toFixed(2)} %`);
  const windows = shares.map((s) => s.map((x) => (x * 100).toFixed(2)).join(' ')).join(' | ');
  t.diagnostic(`idle CPU (median of ${WINDOWS} windows of ${WINDOW_MS / 1000} s): distributor ${d}, ingester ${i} of a core; windows ${windows}`);
  assert.ok((share[0] as number) < IDLE_CORE_SHARE, `distributor uses ${d} of a core while idle`);
  assert.ok((share[1] as number) < IDLE_CORE_SHARE, `ingester uses ${i} of a core while idle`);
});
