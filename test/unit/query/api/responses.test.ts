/**
 * Loki's JSON shapes, byte for byte: `L:pkg/util/marshal/query.go` (streams with and without
 * categorize-labels, matrix, vector, scalar, warnings, encodingFlags), `L:pkg/util/marshal/marshal.go`
 * (labels with omitempty data, series, index stats), `L:pkg/util/marshal/legacy/marshal.go`, and
 * the stats block keys of `L:pkg/logqlmodel/stats/stats.pb.go`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { emptyStats, type ResultStream } from '../../../../query/engine/query-backend.js';
import {
  encodeIndexStats, encodeLabelsResponse, encodeLegacyLabelResponse, encodeLegacyQueryResponse, encodeQueryResponse, encodeSeriesResponse, encodeTailFrame,
  parseEncodingFlags, rfc3339Nano, sampleValue,
} from '../../../../query/api/responses.js';
import { statsJson } from '../../../../query/api/stats-json.js';

const L = labelsFromObject;
const streams: ResultStream[] = [
  {
    labels: L({ app: 'x' }),
    entries: [
      { tsNs: 2000000000000000000n, line: 'b <tag> & co', structuredMetadata: L({ trace_id: 't2' }), parsed: [] },
      { tsNs: 1000000000000000000n, line: 'a', structuredMetadata: [], parsed: L({ level: 'info' }) },
    ],
  },
];
const statsText = JSON.stringify(statsJson(emptyStats()));

test('streams with categorize-labels: a third element per entry and encodingFlags', () => {
  const got = encodeQueryResponse({ kind: 'streams', streams, encoding: { categorizeLabels: true, direction: 'backward' } }, emptyStats(), []);
  assert.equal(
    got,
    '{"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[{"stream":{"app":"x"},"values":[' +
      '["2000000000000000000","b \\u003ctag\\u003e \\u0026 co",{"structuredMetadata":{"trace_id":"t2"}}],' +
      '["1000000000000000000","a",{"parsed":{"level":"info"}}]]}],"stats":' + statsText + '}}',
  );
});

test('streams without categorize-labels: metadata and parsed labels fold into the stream labels, regrouped', () => {
  const got = encodeQueryResponse({ kind: 'streams', streams, encoding: { categorizeLabels: false, direction: 'backward' } }, emptyStats(), ['w1']);
  assert.equal(
    got,
    '{"status":"success","warnings":["w1"],"data":{"resultType":"streams","result":[' +
      '{"stream":{"app":"x","level":"info"},"values":[["1000000000000000000","a"]]},' +
      '{"stream":{"app":"x","trace_id":"t2"},"values":[["2000000000000000000","b \\u003ctag\\u003e \\u0026 co"]]}],"stats":' + statsText + '}}',
  );
});

test('regrouped entries of several streams keep the direction order', () => {
  const two: ResultStream[] = [
    { labels: L({ a: '1', b: '2' }), entries: [{ tsNs: 3n, line: 'x3', structuredMetadata: [], parsed: [] }, { tsNs: 1n, line: 'x1', structuredMetadata: [], parsed: [] }] },
    { labels: L({ a: '1' }), entries: [{ tsNs: 2n, line: 'y2', structuredMetadata: L({ b: '2' }), parsed: [] }] },
  ];
  const got = JSON.parse(encodeQueryResponse({ kind: 'streams', streams: two, encoding: { categorizeLabels: false, direction: 'backward' } }, emptyStats(), [])) as { data: { result: unknown } };
  assert.deepEqual(got.data.result, [{ stream: { a: '1', b: '2' }, values: [['3', 'x3'], ['2', 'y2'], ['1', 'x1']] }]);
});

test('matrix: seconds with the millisecond fraction, values as Go prints them', () => {
  const got = encodeQueryResponse(
    { kind: 'metric', result: { resultType: 'matrix', result: [{ metric: L({ level: 'error' }), values: [[1588889221123, 1.5], [1588889222000, NaN], [1588889223000, Infinity], [1588889224000, -Infinity], [1588889225000, 1e-7], [1588889226000, 1e21]] }] } },
    emptyStats(),
    [],
  );
  assert.equal(
    got,
    '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"level":"error"},"values":[' +
      '[1588889221.123,"1.5"],[1588889222,"NaN"],[1588889223,"+Inf"],[1588889224,"-Inf"],[1588889225,"0.0000001"],[1588889226,"1000000000000000000000"]]}],"stats":' + statsText + '}}',
  );
});

test('vector and scalar', () => {
  assert.equal(
    encodeQueryResponse({ kind: 'metric', result: { resultType: 'vector', result: [{ metric: [], tsMs: 4000000000000, value: 2 }] } }, emptyStats(), []),
    '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[4000000000,"2"]}],"stats":' + statsText + '}}',
  );
  assert.equal(
    encodeQueryResponse({ kind: 'metric', result: { resultType: 'scalar', result: { tsMs: 1500, value: 3 } } }, emptyStats(), []),
    '{"status":"success","data":{"resultType":"scalar","result":[1.5,"3"],"stats":' + statsText + '}}',
  );
});

test('stats: Loki\'s blocks and keys, in stats.pb.go order', () => {
  const s = statsJson({ ...emptyStats(), bytesProcessed: 2000, linesProcessed: 10, execTimeMs: 500, splits: 3, chunksFetched: 4, chunksCacheHits: 1 }) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(s), ['summary', 'querier', 'ingester', 'cache', 'index']);
  assert.deepEqual(Object.keys(s.summary as object), [
    'bytesProcessedPerSecond', 'linesProcessedPerSecond', 'totalBytesProcessed', 'totalLinesProcessed', 'execTime', 'queueTime', 'subqueries',
    'totalEntriesReturned', 'splits', 'shards', 'totalPostFilterLines', 'totalStructuredMetadataBytesProcessed',
  ]);
  assert.deepEqual(Object.keys(s.querier as object), ['store', 'querierExecTime']);
  const store = (s.querier as Record<string, Record<string, unknown>>).store as Record<string, unknown>;
  assert.deepEqual(Object.keys(store), [
    'totalChunksRef', 'totalChunksDownloaded', 'chunksDownloadTime', 'queryReferencedStructuredMetadata', 'queryUsedV2Engine', 'chunk',
    'chunkRefsFetchTime', 'congestionControlLatency', 'pipelineWrapperFilteredLines', 'dataobj',
  ]);
  assert.deepEqual(Object.keys(store.chunk as object), [
    'headChunkBytes', 'headChunkLines', 'decompressedBytes', 'decompressedLines', 'compressedBytes', 'totalDuplicates', 'postFilterLines',
    'headChunkStructuredMetadataBytes', 'decompressedStructuredMetadataBytes',
  ]);
  assert.deepEqual(Object.keys(s.ingester as object), ['totalReached', 'totalChunksMatched', 'totalBatches', 'totalLinesSent', 'store']);
  assert.deepEqual(Object.keys(s.cache as object), ['chunk', 'index', 'result', 'statsResult', 'volumeResult', 'seriesResult', 'labelResult', 'instantMetricResult', 'logResult', 'taskResult']);
  assert.deepEqual(Object.keys((s.cache as Record<string, object>).chunk as object), ['entriesFound', 'entriesRequested', 'entriesStored', 'bytesReceived', 'bytesSent', 'requests', 'downloadTime', 'queryLengthServed']);
  assert.deepEqual(Object.keys(s.index as object), ['totalChunks', 'postFilterChunks', 'shardsDuration', 'usedBloomFilters', 'totalStreams', 'chunkRefsLookupTime', 'bloomFilterTime']);
  assert.equal((s.summary as Record<string, number>).execTime, 0.5);
  assert.equal((s.summary as Record<string, number>).bytesProcessedPerSecond, 4000);
  assert.equal((s.summary as Record<string, number>).splits, 3);
  assert.equal(store.totalChunksDownloaded, 3);
});

test('labels: data omitted when empty (omitempty); series; index stats key order', () => {
  assert.equal(encodeLabelsResponse(['app', 'env']), '{"status":"success","data":["app","env"]}');
  assert.equal(encodeLabelsResponse([]), '{"status":"success"}');
  assert.equal(encodeSeriesResponse([L({ app: 'x', env: 'p' })]), '{"status":"success","data":[{"app":"x","env":"p"}]}');
  assert.equal(encodeSeriesResponse([]), '{"status":"success","data":[]}');
  assert.equal(encodeIndexStats({ streams: 1, chunks: 2, entries: 3, bytes: 4 }), '{"streams":1,"chunks":2,"bytes":4,"entries":3}');
});

test('tail frames: dropped_entries only when some were dropped; legacy label shape', () => {
  const frame = { streams: [{ labels: L({ app: 'x' }), entries: [{ tsNs: 5n, line: 'l', structuredMetadata: [], parsed: [] }] }], dropped: [] };
  assert.equal(encodeTailFrame(frame, { categorizeLabels: false, direction: 'forward' }), '{"streams":[{"stream":{"app":"x"},"values":[["5","l"]]}]}');
  assert.equal(
    encodeTailFrame({ streams: [], dropped: [{ labels: L({ app: 'y' }), tsNs: 7n }] }, { categorizeLabels: true, direction: 'forward' }),
    '{"streams":[],"dropped_entries":[{"timestamp":"7","labels":{"app":"y"}}],"encodingFlags":["categorize-labels"]}',
  );
  assert.equal(encodeLegacyLabelResponse([]), '{}');
  assert.equal(encodeLegacyLabelResponse(['a']), '{"values":["a"]}');
});

test('legacy query: labels as text, entries with RFC3339Nano ts', () => {
  const got = JSON.parse(encodeLegacyQueryResponse(streams, 'backward', emptyStats())) as { streams: unknown; stats: unknown };
  assert.deepEqual(got.streams, [
    { labels: '{app="x", level="info"}', entries: [{ ts: '2001-09-09T01:46:40Z', line: 'a' }] },
    { labels: '{app="x", trace_id="t2"}', entries: [{ ts: '2033-05-18T03:33:20Z', line: 'b <tag> & co' }] },
  ]);
  assert.ok(got.stats !== undefined);
  assert.equal(rfc3339Nano(1_500_000_000n), '1970-01-01T00:00:01.5Z');
  assert.equal(rfc3339Nano(1_000_000_001n), '1970-01-01T00:00:01.000000001Z');
});

test('encoding flags header: comma-separated', () => {
  assert.deepEqual([...parseEncodingFlags('categorize-labels, other')], ['categorize-labels', 'other']);
  assert.equal(parseEncodingFlags(undefined).size, 0);
  assert.equal(sampleValue(0.1 + 0.2), '0.30000000000000004');
});
