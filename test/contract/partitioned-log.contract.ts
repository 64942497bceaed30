/** The PartitionLog contract: one suite, run unchanged on the embedded log and on real Kafka. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { isFjordError } from '../../schemas/index.js';
import type { GroupHandler, LogRecord, PartitionLog } from '../../platform/log/partitioned-log.js';
import { waitUntil } from '../helpers/env.js';

/** Makes a started log on a fresh topic of `partitions` partitions (stopped through `t.after`). */
export type LogFactory = (t: TestContext, partitions: number) => Promise<PartitionLog>;

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** A group handler that records what it is told. */
function recordingHandler() {
  const events: string[] = [];
  const seen = new Map<number, LogRecord[]>();
  const handler: GroupHandler = {
    async onAssigned(ps) {
      events.push(`assigned ${ps.join(',')}`);
    },
    async onRevoked(ps) {
      events.push(`revoked ${ps.join(',')}`);
    },
    async onBatch(p, records) {
      const list = seen.get(p) ?? [];
      list.push(...records);
      seen.set(p, list);
    },
  };
  const values = (p: number) => (seen.get(p) ?? []).map((r) => str(r.value));
  return { handler, events, seen, values };
}

async function readN(log: PartitionLog, partition: number, from: number, n: number): Promise<LogRecord[]> {
  const ac = new AbortController();
  const out: LogRecord[] = [];
  const timer = setTimeout(() => ac.abort(), 30_000);
  try {
    for await (const batch of log.read(partition, from, ac.signal)) {
      out.push(...batch);
      if (out.length >= n) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

/** Register the contract tests for one implementation. */
export function partitionLogContract(name: string, make: LogFactory): void {
  test(`${name}: a topic has the partitions it was created with; creating it again is a no-op`, async (t) => {
    const log = await make(t, 3);
    assert.equal(log.partitionCount(), 3);
    assert.equal(await log.createTopic(3), false);
    assert.ok(log.maxRecordBytes() > 100_000);
  });

  test(`${name}: produce returns consecutive offsets per partition, visible in end offsets`, async (t) => {
    const log = await make(t, 2);
    assert.deepEqual(await log.produce(0, [{ value: bytes('a') }, { value: bytes('b') }]), [0, 1]);
    assert.deepEqual(await log.produce(1, [{ value: bytes('c') }]), [0]);
    assert.deepEqual(await log.produce(0, [{ value: bytes('d') }]), [2]);
    const offsets = await log.offsets();
    assert.deepEqual(offsets.map((o) => [o.partition, o.start, o.end]), [[0, 0, 3], [1, 0, 1]]);
  });

  test(`${name}: read from an offset returns the records as produced, then waits for more`, async (t) => {
    const log = await make(t, 1);
    const ts = Date.now() - 5000;
    await log.produce(0, [
      { value: bytes('r0'), key: bytes('k0'), headers: { tenant: bytes('t1') }, timestampMs: ts },
      { value: bytes('r1'), headers: { tenant: bytes('t2'), x: bytes('y') }, timestampMs: ts + 1 },
      { value: bytes('r2'), timestampMs: ts + 2 },
    ]);
    const pending = readN(log, 0, 1, 3);
    await new Promise((r) => setTimeout(r, 200));
    await log.produce(0, [{ value: bytes('r3') }]);
    const got = await pending;
    assert.deepEqual(got.map((r) => [r.offset, str(r.value)]), [[1, 'r1'], [2, 'r2'], [3, 'r3']]);
    assert.equal(got[0]?.timestampMs, ts + 1);
    assert.equal(str(got[0]?.headers.tenant ?? new Uint8Array()), 't2');
    assert.equal(str(got[0]?.headers.x ?? new Uint8Array()), 'y');
    assert.equal(got[0]?.key, null);
    const first = await readN(log, 0, 0, 1);
    assert.equal(str(first[0]?.key ?? new Uint8Array()), 'k0');
  });

  test(`${name}: concurrent produces to one partition get distinct offsets in read order`, async (t) => {
    const log = await make(t, 1);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.produce(0, [{ value: bytes(`m${i}a`) }, { value: bytes(`m${i}b`) }])),
    );
    const all = results.flat().sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
    const back = await readN(log, 0, 0, 100);
    results.forEach((offsets, i) => {
      assert.equal(str((back[offsets[0] as number] as LogRecord).value), `m${i}a`);
      assert.equal(str((back[offsets[1] as number] as LogRecord).value), `m${i}b`);
    });
  });

  test(`${name}: time to offset finds the first record at or after a time`, async (t) => {
    const log = await make(t, 1);
    const t0 = Date.now() - 60_000;
    await log.produce(0, [0, 10_000, 20_000, 30_000].map((d, i) => ({ value: bytes(`v${i}`), timestampMs: t0 + d })));
    assert.equal(await log.offsetForTime(0, t0 - 1), 0);
    assert.equal(await log.offsetForTime(0, t0 + 10_000), 1);
    assert.equal(await log.offsetForTime(0, t0 + 15_000), 2);
    assert.equal(await log.offsetForTime(0, t0 + 99_000), 4);
  });

  test(`${name}: bad produces are refused with typed errors`, async (t) => {
    const log = await make(t, 1);
    await assert.rejects(log.produce(5, [{ value: bytes('x') }]), (err) => isFjordError(err, 'invalid_argument'));
    const huge = new Uint8Array(log.maxRecordBytes() + 10_000);
    await assert.rejects(log.produce(0, [{ value: huge }]), (err) => isFjordError(err, 'log_record_too_large'));
  });

  test(`${name}: a group member gets every partition, consumes from the start, and its commits persist`, async (t) => {
    const log = await make(t, 3);
    for (let p = 0; p < 3; p++) await log.produce(p, [{ value: bytes(`p${p}-0`) }, { value: bytes(`p${p}-1`) }]);
    const group = `g-${log.topic}`;
    const a = recordingHandler();
    const m = await log.joinGroup(group, 'http://10.0.0.1:3100', a.handler);
    t.after(() => m.leave());
    await waitUntil('all records', () => [0, 1, 2].every((p) => a.values(p).length === 2), 30_000);
    assert.deepEqual(a.values(1), ['p1-0', 'p1-1']);
    assert.deepEqual(m.assigned(), [0, 1, 2]);
    assert.deepEqual(a.events, ['assigned 0,1,2']);
    await m.commit(new Map([[0, 2], [1, 1]]));
    const committed = await log.committedOffsets(group);
    assert.equal(committed.get(0), 2);
    assert.equal(committed.get(1), 1);
    assert.equal(committed.has(2), false);
    assert.deepEqual(await log.listGroups(`g-${log.topic}`), [group]);
    assert.deepEqual(await log.listGroups('no-such-prefix-'), []);
    const desc = await log.describeGroup(group);
    assert.equal(desc.members.length, 1);
    assert.equal(desc.members[0]?.clientId, 'http://10.0.0.1:3100');
    assert.deepEqual(desc.members[0]?.partitions, [0, 1, 2]);
  });

  test(`${name}: a new member resumes from the committed offsets; seek re-reads`, async (t) => {
    const log = await make(t, 1);
    await log.produce(0, ['a', 'b', 'c', 'd'].map((v) => ({ value: bytes(v) })));
    const group = `g-${log.topic}`;
    await log.setCommittedOffsets(group, new Map([[0, 2]]));
    assert.equal((await log.committedOffsets(group)).get(0), 2);
    const h = recordingHandler();
    const m = await log.joinGroup(group, 'member-1', h.handler);
    t.after(() => m.leave());
    await waitUntil('two records', () => h.values(0).length >= 2, 30_000);
    assert.deepEqual(h.values(0), ['c', 'd']);
    m.seek(0, 0);
    await waitUntil('re-read after seek', () => h.values(0).length >= 6, 30_000);
    assert.deepEqual(h.values(0).slice(2), ['a', 'b', 'c', 'd']);
  });

  test(`${name}: two members split the partitions; when one leaves the other takes over from the commits`, async (t) => {
    const log = await make(t, 4);
    const group = `g-${log.topic}`;
    const a = recordingHandler();
    const b = recordingHandler();
    const ma = await log.joinGroup(group, 'member-a', a.handler);
    const mb = await log.joinGroup(group, 'member-b', b.handler);
    t.after(async () => {
      await ma.leave();
      await mb.leave();
    });
    await waitUntil('a balanced split', async () => {
      const d = await log.describeGroup(group);
      return d.members.length === 2 && d.members.every((m) => m.partitions.length === 2) && ma.assigned().length === 2 && mb.assigned().length === 2;
    }, 60_000, 200);
    const desc = await log.describeGroup(group);
    assert.deepEqual(desc.members.flatMap((m) => m.partitions).sort(), [0, 1, 2, 3]);
    assert.deepEqual(desc.members.map((m) => m.clientId).sort(), ['member-a', 'member-b']);
    for (let p = 0; p < 4; p++) await log.produce(p, [{ value: bytes(`x${p}`) }]);
    await waitUntil('each record consumed once', () => [0, 1, 2, 3].every((p) => a.values(p).length + b.values(p).length === 1), 30_000);
    const bParts = mb.assigned();
    await mb.commit(new Map(bParts.map((p) => [p, 1])));
    await mb.leave();
    assert.ok(b.events.includes(`revoked ${bParts.join(',')}`), b.events.join(' | '));
    await waitUntil('a owns all partitions', () => ma.assigned().length === 4, 60_000, 200);
    for (const p of bParts) await log.produce(p, [{ value: bytes(`y${p}`) }]);
    await waitUntil('a reads what b had not', () => bParts.every((p) => a.values(p).includes(`y${p}`)), 30_000);
    for (const p of bParts) assert.deepEqual(a.values(p), [`y${p}`], `partition ${p} resumed after b's commit`);
  });
}
