/** An ingester's recent data for a shard: the shards of a query split its streams, each stream whole in one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelCache } from '../../../../schemas/labels/index.js';
import { gzipCodec, noneCodec, snappyCodec } from '../../../../platform/codecs/index.js';
import { PartitionIngest } from '../../../../consumers/ingester/partition-ingest.js';
import { recentChunks } from '../../../../consumers/ingester/recent-data.js';
import type { Codec, CodecSet } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { isInShard } from '../../../../schemas/labels/index.js';
import { decodeChunkHeader } from '../../../../schemas/chunk/index.js';

const none = noneCodec();
const codecs: CodecSet = { none, zstd: none as Codec, gzip: gzipCodec(), snappy: snappyCodec() };
const settings = { chunk_block_size: 1024, chunk_target_size: 1_000_000, max_chunk_age: 2 * 3_600_000, chunk_idle_period: 30 * 60_000, chunk_encoding: 'none' as const };

test('recentChunks: with a shard, only the streams whose fingerprint falls in it; the shards partition the streams', () => {
  const p = new PartitionIngest(0, 0, settings, codecs, new LabelCache());
  for (let s = 0; s < 30; s++) {
    const labels = `{app="a", pod="p${s}"}`;
    p.append('t', { streams: [{ labels, entries: [1n, 2n].map((t) => ({ tsNs: t, line: Buffer.from(`line ${t}`), structuredMetadata: [] })) }] }, s, 0, false, []);
    if (s % 3 === 0) p.cutDue(0, 'flush');
  }
  const streamsOf = (chunks: Uint8Array[]) => chunks.map((c) => decodeChunkHeader(c).labels);
  const all = recentChunks([p], 't', [], 0n, 10n, null, none);
  assert.equal(new Set(streamsOf(all)).size, 30);
  for (const of of [2, 4, 16]) {
    const seen: string[] = [];
    for (let index = 0; index < of; index++) {
      const chunks = recentChunks([p], 't', [], 0n, 10n, { index, of }, none);
      for (const c of chunks) {
        const h = decodeChunkHeader(c);
        assert.equal(h.fingerprint, fnv1a64Hex(h.labels));
        assert.ok(isInShard(h.fingerprint, { index, of }), `${h.labels} in ${index}_of_${of}`);
      }
      seen.push(...streamsOf(chunks));
    }
    assert.deepEqual(seen.sort(), streamsOf(all).sort(), `the ${of} shards together are the whole answer`);
  }
});
