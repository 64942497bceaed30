import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duePieces, refAction, replaceRefs, rewriteChunk, type ActiveDelete } from '../../../../consumers/compactor/delete-plan.js';
import { blockSourceFromEntries, decodeChunk, encodeBlock, encodeChunk } from '../../../../schemas/chunk/index.js';
import { chunkKey, type ChunkRef } from '../../../../schemas/index/index.js';
import { formatLabels, labelsFromObject } from '../../../../schemas/labels/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { loadCodecs } from '../../../../platform/codecs/index.js';
import { compileLogSelector } from '../../../../query/logql/index.js';
import { entry, plain } from '../../../helpers/chunk-entries.js';
import { periodStart, refOf, seriesOf } from '../../../helpers/index-bundles.js';

const codecs = await loadCodecs();
const MS = 1_000_000n;
const del = (query: string, startMs: number, endMs: number): ActiveDelete => ({
  requestId: '00000001', tenant: 't', query, shard: 0, interval: { startMs, endMs }, createdAtMs: 0, selector: compileLogSelector(query),
});
const app = labelsFromObject({ app: 'api' });

test('duePieces: past the cancel period plus a minute, tenants that delete, unprocessed pieces, by start', () => {
  const req = (id: string, createdAtMs: number, tenant = 't') => ({
    request: { requestId: id, tenant, query: '{a="b"}', startMs: 0, endMs: 30, createdAtMs, shards: [{ startMs: 20, endMs: 30 }, { startMs: 0, endMs: 10 }] },
    processed: new Map([[1, 5]]),
  });
  const got = duePieces([req('00000001', 0), req('00000002', 950_000), req('00000003', 0, 'filter-only-tenant')], 1_000_000, 900_000, (t) => t === 't');
  assert.deepEqual(got.map((p) => [p.requestId, p.shard]), [['00000001', 0]]);
});

const REF_CASES = [
  { name: 'another stream', d: del('{app="web"}', 0, 100), from: 10, through: 20, want: 'keep' },
  { name: 'outside the time range', d: del('{app="api"}', 30, 100), from: 10, through: 20, want: 'keep' },
  { name: 'whole chunk, no line filter: dropped', d: del('{app="api"}', 10, 20), from: 10, through: 20, want: 'drop' },
  { name: 'part of the chunk: rewritten', d: del('{app="api"}', 15, 100), from: 10, through: 20, want: 'rewrite' },
  { name: 'whole chunk with a line filter: rewritten', d: del('{app="api"} |= "x"', 0, 100), from: 10, through: 20, want: 'rewrite' },
] as const;
for (const c of REF_CASES) {
  test(`refAction: ${c.name}`, () => {
    assert.equal(refAction(app, { fromNs: BigInt(c.from) * MS, throughNs: BigInt(c.through) * MS }, [c.d]).kind, c.want);
  });
}

function chunkOf(entries: ReturnType<typeof entry>[][]) {
  const text = formatLabels(app);
  const encoded = encodeChunk({ tenant: 't', labels: text, fingerprint: fnv1a64Hex(text), encoding: 'zstd' }, entries.map((g) => encodeBlock(blockSourceFromEntries(g), codecs.zstd)));
  return decodeChunk(encoded.bytes, codecs);
}

test('rewriteChunk: deleted lines leave, the rest keeps its blocks, metadata and order', () => {
  const chunk = chunkOf([
    [entry(10n * MS, 'keep 1'), entry(11n * MS, 'secret 1', { trace: 'a' })],
    [entry(20n * MS, 'secret 2'), entry(21n * MS, 'keep 2', { trace: 'b' })],
    [entry(30n * MS, 'secret 3')],
  ]);
  const out = rewriteChunk(chunk, app, [del('{app="api"} |= "secret"', 0, 25)], codecs);
  assert.equal(out.kind, 'rewritten');
  if (out.kind !== 'rewritten') return;
  assert.equal(out.deletedLines, 2);
  const back = decodeChunk(out.chunk.bytes, codecs);
  assert.equal(back.blocks.length, 3);
  assert.deepEqual(back.blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => plain(b.entry(i)))), [
    ['10000000', 'keep 1', []], ['21000000', 'keep 2', [['trace', 'b']]], ['30000000', 'secret 3', []],
  ]);
  assert.equal(back.header.labels, chunk.header.labels);
});

test('rewriteChunk: nothing selected leaves it unchanged; everything selected empties it', () => {
  const chunk = chunkOf([[entry(10n * MS, 'a'), entry(11n * MS, 'b')]]);
  assert.equal(rewriteChunk(chunk, app, [del('{app="api"} |= "zzz"', 0, 100)], codecs).kind, 'unchanged');
  assert.deepEqual(rewriteChunk(chunk, app, [del('{app="api"}', 0, 100)], codecs), { kind: 'empty', deletedLines: 2 });
});

test('replaceRefs: replaced refs give way, a new ref outside the period is left out, emptied series go', () => {
  const P = 20_000;
  const a = seriesOf({ app: 'a' });
  const b = seriesOf({ app: 'b' });
  const start = periodStart(P);
  const ra = refOf(a, start + 10n, start + 20n, 1);
  const rb = refOf(b, start + 10n, start + 20n, 2);
  const rc = refOf(a, start + 30n, start + 40n, 3);
  const input = { period: P, tenant: 't', series: [a, b], chunks: [ra, rb, rc] };
  const key = (r: ChunkRef) => chunkKey({ tenant: 't', ...r });
  const moved = refOf(a, start - 100n, start - 50n, 9);
  const replaced = new Map<string, ChunkRef | null>([[key(ra), refOf(a, start + 12n, start + 20n, 7)], [key(rb), null], [key(rc), moved]]);
  const { output, changed } = replaceRefs(input, replaced);
  assert.equal(changed, true);
  assert.deepEqual(output.chunks.map((c) => c.checksum), [7]);
  assert.deepEqual(output.series, [a]);
  assert.equal(replaceRefs(input, new Map()).changed, false);
});
