import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelCache } from '../../../../schemas/labels/index.js';
import { gzipCodec, noneCodec, snappyCodec } from '../../../../platform/codecs/index.js';
import { PartitionIngest } from '../../../../consumers/ingester/partition-ingest.js';
import type { Codec, CodecSet } from '../../../../schemas/index.js';
import type { PushRequest } from '../../../../schemas/record/index.js';

const none = noneCodec();
const codecs: CodecSet = { none, zstd: none as Codec, gzip: gzipCodec(), snappy: snappyCodec() };
const HOUR_NS = 3_600_000_000_000n;
const settings = { chunk_block_size: 1024, chunk_target_size: 1_000_000, max_chunk_age: 2 * 3_600_000, chunk_idle_period: 30 * 60_000, chunk_encoding: 'none' as const };
const push = (labels: string, ...ts: bigint[]): PushRequest => ({ streams: [{ labels, entries: ts.map((t) => ({ tsNs: t, line: Buffer.from(`line ${t}`), structuredMetadata: [] })) }] });

function make(start = 0) {
  return new PartitionIngest(0, start, settings, codecs, new LabelCache());
}

test('nothing held: committable is the next offset to consume', () => {
  const p = make(10);
  assert.equal(p.committable(), 10);
  p.skip(10);
  assert.equal(p.committable(), 11);
});

test('data in open chunks holds the committed offset at its first record', () => {
  const p = make();
  p.append('t', push('{a="1"}', 1n), 0, 0, false, []);
  p.append('t', push('{a="2"}', 2n), 1, 0, false, []);
  p.append('t', push('{a="1"}', 3n), 2, 0, false, []);
  assert.equal(p.nextOffset, 3);
  assert.equal(p.committable(), 0);
});

test('cut chunks stay held until an uploaded index bundle covers them', () => {
  const p = make();
  p.append('t', push('{a="1"}', 1n), 0, 0, false, []);
  p.append('t', push('{a="2"}', 2n), 1, 0, false, []);
  const cut = p.cutDue(0, 'flush');
  assert.equal(cut.length, 2);
  assert.equal(p.committable(), 0, 'cut but not durable');
  const a = cut.find((c) => c.labels[0]?.value === '1');
  const b = cut.find((c) => c.labels[0]?.value === '2');
  if (!a || !b) throw new Error('missing chunk');
  a.indexSeq = 5;
  b.indexSeq = 6;
  assert.deepEqual(p.dropDurable(5).map((c) => c.chunk.key), [a.chunk.key]);
  assert.equal(p.committable(), 1, 'stream 2 still held from offset 1');
  p.dropDurable(6);
  assert.equal(p.committable(), 2);
  assert.equal(p.streamCount, 0, 'idle streams are forgotten');
});

test('the cut policy decides: idle chunks are cut, fresh ones are not', () => {
  const p = make();
  p.append('t', push('{a="1"}', 1n), 0, 1000, false, []);
  assert.equal(p.cutDue(1000 + 60_000).length, 0);
  const cut = p.cutDue(1000 + 31 * 60_000);
  assert.deepEqual(cut.map((c) => c.reason), ['idle']);
});

test('entries too far behind their stream are refused, except during replay', () => {
  const p = make();
  p.append('t', push('{a="1"}', 10n * HOUR_NS), 0, 0, false, []);
  const r = p.append('t', push('{a="1"}', 8n * HOUR_NS), 1, 0, false, []);
  assert.equal(r.tooFarBehind, 1);
  const ok = p.append('t', push('{a="1"}', 9n * HOUR_NS + 1n), 2, 0, false, []);
  assert.equal(ok.appended, 1, 'within max_chunk_age/2');
  const replay = p.append('t', push('{a="1"}', 1n), 3, 0, true, []);
  assert.equal(replay.appended, 1);
});

test('an exact duplicate in the open chunk is dropped', () => {
  const p = make();
  p.append('t', push('{a="1"}', 5n), 0, 0, false, []);
  const r = p.append('t', push('{a="1"}', 5n), 1, 0, false, []);
  assert.deepEqual([r.appended, r.duplicates], [0, 1]);
});

test('streams of different tenants are kept apart', () => {
  const p = make();
  p.append('t1', push('{a="1"}', 1n), 0, 0, false, []);
  p.append('t2', push('{a="1"}', 1n), 1, 0, false, []);
  assert.equal(p.streamCount, 2);
  assert.deepEqual([...p.holds()].map((h) => h.tenant).sort(), ['t1', 't2']);
});

test('the tap sees each stream\'s appended entries, not duplicates or entries too far behind', () => {
  const p = make();
  const seen: Array<[string, bigint[]]> = [];
  const tap = (hold: { labelsText: string }, entries: ReadonlyArray<{ tsNs: bigint }>) => seen.push([hold.labelsText, entries.map((e) => e.tsNs)]);
  p.append('t', push('{a="1"}', 3n * HOUR_NS, 3n * HOUR_NS + 1n), 0, 0, false, [], tap);
  p.append('t', push('{a="1"}', 3n * HOUR_NS, 1n, 3n * HOUR_NS + 2n), 1, 0, false, [], tap);
  p.append('t', push('{a="1"}', 3n * HOUR_NS), 2, 0, false, [], tap);
  assert.deepEqual(seen, [
    ['{a="1"}', [3n * HOUR_NS, 3n * HOUR_NS + 1n]],
    ['{a="1"}', [3n * HOUR_NS + 2n]],
  ]);
});
