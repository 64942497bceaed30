/**
 * The ruler's on-disk remote-write queue on a real filesystem: appends survive a reopen, each
 * client resumes at its own cursor, a torn tail record is cut, and truncation drops what is sent
 * and old, and what is older than max_age even unsent (counted).
 */
import assert from 'node:assert/strict';
import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeWriteRequest, encodeWriteRequest } from '../../query/ruler/remote-write/prompb.js';
import { WalQueue } from '../../query/ruler/remote-write/wal-queue.js';
import { tempDir } from '../helpers/env.js';

const labels = [{ name: '__name__', value: 'r' }];
const payload = (tsMs: number) => encodeWriteRequest([{ labels, tsMs, value: tsMs }]);
const times = (payloads: readonly Uint8Array[]) => payloads.flatMap((p) => decodeWriteRequest(p).flatMap((s) => s.samples.map((x) => x.tsMs)));

test('WAL queue: appends survive a reopen; each client resumes at its cursor', async (t) => {
  const dir = await tempDir(t, 'fjord-wal');
  const q = new WalQueue(dir, ['a', 'b']);
  await q.open();
  for (const ts of [1000, 2000, 3000]) await q.append(payload(ts), 1, ts);
  const batch = await q.read(q.cursor('a'), 2);
  assert.deepEqual(times(batch?.payloads ?? []), [1000, 2000]);
  await q.commit('a', batch?.next ?? q.cursor('a'));
  await q.close();

  const again = new WalQueue(dir, ['a', 'b']);
  await again.open();
  assert.deepEqual(times((await again.read(again.cursor('a'), 100))?.payloads ?? []), [3000], 'a resumes after what it sent');
  assert.deepEqual(times((await again.read(again.cursor('b'), 100))?.payloads ?? []), [1000, 2000, 3000], 'b sent nothing yet');
  await again.close();
});

test('WAL queue: a torn record at the tail is cut at open; appends go on after it', async (t) => {
  const dir = await tempDir(t, 'fjord-wal');
  const q = new WalQueue(dir, ['a']);
  await q.open();
  await q.append(payload(1000), 1, 1000);
  await q.close();
  const [segment] = (await readdir(dir)).filter((n) => /^\d+$/.test(n));
  await appendFile(join(dir, segment as string), Buffer.from([0x30, 0, 0, 0, 1, 2, 3]));
  const again = new WalQueue(dir, ['a']);
  await again.open();
  await again.append(payload(2000), 1, 2000);
  assert.deepEqual(times((await again.read(again.cursor('a'), 100))?.payloads ?? []), [1000, 2000]);
  await again.close();
});

test('WAL queue: truncation removes sent old segments, and drops segments past max_age even unsent', async (t) => {
  const dir = await tempDir(t, 'fjord-wal');
  const q = new WalQueue(dir, ['a']);
  await q.open();
  await q.append(payload(1000), 1, 1000);
  await q.commit('a', (await q.read(q.cursor('a'), 100))?.next ?? q.cursor('a'));
  // Sent, and older than min_age: its segment goes.
  assert.deepEqual([...(await q.truncate(10_000, 5000, 60_000))], []);
  assert.equal(await q.read(q.cursor('a'), 100), null);
  await q.append(payload(20_000), 1, 20_000);
  await q.append(payload(21_000), 1, 21_000);
  // Unsent, but older than max_age at 100 s: dropped and counted.
  const dropped = await q.truncate(100_000, 5000, 60_000);
  assert.deepEqual([...dropped], [['a', 2]]);
  assert.equal(await q.read(q.cursor('a'), 100), null);
  await q.append(payload(99_000), 1, 99_000);
  assert.deepEqual(times((await q.read(q.cursor('a'), 100))?.payloads ?? []), [99_000]);
  assert.ok((await q.diskBytes()) > 0);
  await q.close();
});
