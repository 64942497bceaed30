import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StoredRecord } from '../../../../platform/log/embedded/record-frame.js';
import { RecentRecords } from '../../../../platform/log/embedded/recent-records.js';

function rec(offset: number, bytes = 10): StoredRecord {
  return { offset, timestampMs: offset, key: null, value: new Uint8Array(bytes), headers: {} };
}

test('recent records: reads from a held offset return the same record objects, about maxBytes of them', () => {
  const r = new RecentRecords(1000);
  const written = [rec(5), rec(6), rec(7), rec(8)];
  r.add(written.slice(0, 2));
  r.add(written.slice(2));
  assert.deepEqual(r.read(6, 1000), written.slice(1));
  assert.equal(r.read(6, 1000)?.[0], written[1]);
  assert.deepEqual(r.read(5, 15)?.map((x) => x.offset), [5, 6]);
  assert.deepEqual(r.read(7, 0)?.map((x) => x.offset), [7], 'at least one record');
});

test('recent records: offsets not held answer null, so the reader goes to the segment files', () => {
  const r = new RecentRecords(1000);
  assert.equal(r.read(0, 100), null, 'empty');
  r.add([rec(5), rec(6)]);
  assert.equal(r.read(4, 100), null, 'older than the oldest held');
  assert.equal(r.read(7, 100), null, 'past the newest');
});

test('recent records: the oldest are dropped past the byte budget', () => {
  const r = new RecentRecords(25);
  r.add([rec(0), rec(1), rec(2)]);
  assert.equal(r.read(0, 100), null);
  assert.deepEqual(r.read(1, 100)?.map((x) => x.offset), [1, 2]);
  for (let o = 3; o < 5000; o++) r.add([rec(o)]);
  assert.equal(r.read(4997, 100), null);
  assert.deepEqual(r.read(4998, 100)?.map((x) => x.offset), [4998, 4999]);
});

test('recent records: a gap in offsets forgets what came before it', () => {
  const r = new RecentRecords(1000);
  r.add([rec(0), rec(1)]);
  r.add([rec(10)]);
  assert.equal(r.read(1, 100), null);
  assert.deepEqual(r.read(10, 100)?.map((x) => x.offset), [10]);
});

test('recent records: a record dropped past the budget is no longer referenced', async () => {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const r = new RecentRecords(25);
  let first: StoredRecord | undefined = rec(0);
  const dropped = new WeakRef(first);
  r.add([first, rec(1)]);
  first = undefined;
  r.add([rec(2)]);
  assert.equal(r.read(0, 100), null, 'past the budget');
  // A WeakRef's target stays alive until the job that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(dropped.deref(), undefined, 'collected: nothing held it any more');
  assert.deepEqual(r.read(1, 100)?.map((x) => x.offset), [1, 2]);
});
