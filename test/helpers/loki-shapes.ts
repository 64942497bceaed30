/**
 * Loki's response shapes (`L:pkg/util/marshal/*`, `L:pkg/logqlmodel/stats/stats.proto`,
 * `L:pkg/querier/queryrange/volume.go`) as assertions, and the recorded requests of Grafana's Loki
 * data source (test/fixtures/grafana/requests.json), for replaying against the query API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** One recorded request; `expect` names its shape in `responseShapes`. */
export interface RecordedRequest {
  readonly name: string;
  readonly source: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly expect: string;
}

/** The recorded requests of Grafana's Loki data source. */
export const grafanaRequests = (JSON.parse(readFileSync(new URL('../../../test/fixtures/grafana/requests.json', import.meta.url), 'utf8')) as { requests: RecordedRequest[] }).requests;

/** Query string of a recorded request, with `$start`, `$end`, `$now10m` replaced for a clock at `nowNs`. */
export function recordedParams(r: RecordedRequest, nowNs: bigint): string {
  const s = 1_000_000_000n;
  const placeholders: Record<string, string> = { $start: String(nowNs - 3600n * s), $end: String(nowNs), $now10m: String(nowNs - 600n * s) };
  return new URLSearchParams(Object.entries(r.params).map(([k, v]): [string, string] => [k, placeholders[v] ?? v])).toString();
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): boolean => isObj(v) && Object.values(v).every((x) => typeof x === 'string');

const STATS_KEYS = ['summary', 'querier', 'ingester', 'cache', 'index'];

function checkStats(stats: unknown): void {
  assert.ok(isObj(stats));
  assert.deepEqual(Object.keys(stats), STATS_KEYS);
  const summary = stats.summary as Obj;
  for (const k of ['bytesProcessedPerSecond', 'linesProcessedPerSecond', 'totalBytesProcessed', 'totalLinesProcessed', 'execTime', 'queueTime', 'subqueries', 'totalEntriesReturned', 'splits', 'shards', 'totalPostFilterLines', 'totalStructuredMetadataBytesProcessed']) {
    assert.equal(typeof summary[k], 'number', `summary.${k}`);
  }
}

function checkPrometheusStyle(body: unknown, resultType: string): Obj[] {
  assert.ok(isObj(body));
  assert.equal(body.status, 'success');
  const data = body.data as Obj;
  assert.equal(data.resultType, resultType);
  checkStats(data.stats);
  assert.ok(Array.isArray(data.result));
  return data.result as Obj[];
}

function checkSample(pair: unknown): void {
  assert.ok(Array.isArray(pair) && pair.length === 2);
  assert.equal(typeof pair[0], 'number');
  assert.equal(typeof pair[1], 'string');
  assert.ok(!Number.isNaN(Number(pair[1])) || ['NaN', '+Inf', '-Inf'].includes(pair[1] as string));
}

/** Checks of a response body by shape name. */
export const responseShapes: Record<string, (body: unknown, headers: Record<string, string>) => void> = {
  vector(body) {
    const result = checkPrometheusStyle(body, 'vector');
    assert.ok(result.length > 0);
    for (const s of result) {
      assert.ok(isStringMap(s.metric));
      checkSample(s.value);
    }
  },
  matrix(body) {
    const result = checkPrometheusStyle(body, 'matrix');
    assert.ok(result.length > 0);
    for (const s of result) {
      assert.ok(isStringMap(s.metric));
      const values = s.values as unknown[];
      assert.ok(values.length > 0);
      values.forEach(checkSample);
      const times = values.map((v) => (v as number[])[0] as number);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'samples oldest first');
    }
  },
  streams(body, headers) {
    const result = checkPrometheusStyle(body, 'streams');
    assert.ok(result.length > 0);
    const categorized = headers['X-Loki-Response-Encoding-Flags'] === 'categorize-labels';
    const data = (body as Obj).data as Obj;
    assert.deepEqual(data.encodingFlags, categorized ? ['categorize-labels'] : undefined);
    for (const s of result) {
      assert.ok(isStringMap(s.stream));
      for (const v of s.values as unknown[][]) {
        assert.equal(v.length, categorized ? 3 : 2);
        assert.match(v[0] as string, /^\d+$/);
        assert.equal(typeof v[1], 'string');
        if (categorized) {
          const extra = v[2] as Obj;
          assert.ok(isObj(extra));
          for (const k of Object.keys(extra)) assert.ok(['structuredMetadata', 'parsed'].includes(k));
        }
      }
    }
  },
  labels(body) {
    assert.ok(isObj(body));
    assert.equal(body.status, 'success');
    assert.ok(Array.isArray(body.data) && body.data.length > 0 && body.data.every((x) => typeof x === 'string'));
  },
  series(body) {
    assert.ok(isObj(body));
    assert.equal(body.status, 'success');
    assert.ok(Array.isArray(body.data) && body.data.length > 0 && body.data.every(isStringMap));
  },
  indexStats(body) {
    assert.ok(isObj(body));
    assert.deepEqual(Object.keys(body), ['streams', 'chunks', 'bytes', 'entries']);
    assert.ok(Object.values(body).every((v) => typeof v === 'number'));
  },
  detectedLabels(body) {
    assert.ok(isObj(body));
    const list = body.detectedLabels as Obj[];
    assert.ok(Array.isArray(list) && list.length > 0);
    for (const l of list) {
      assert.equal(typeof l.label, 'string');
      assert.equal(typeof l.cardinality, 'number');
    }
  },
  detectedFields(body) {
    assert.ok(isObj(body));
    assert.equal(typeof body.limit, 'number');
    for (const f of body.fields as Obj[]) {
      assert.equal(typeof f.label, 'string');
      assert.ok(['string', 'int', 'float', 'boolean', 'duration', 'bytes'].includes(f.type as string));
      assert.equal(typeof f.cardinality, 'number');
      assert.ok(f.parsers === null || (Array.isArray(f.parsers) && f.parsers.every((p) => p === 'json' || p === 'logfmt')));
    }
  },
  detectedFieldValues(body) {
    assert.ok(isObj(body));
    assert.ok(Array.isArray(body.values) && body.values.every((v) => typeof v === 'string'));
    assert.equal(typeof body.limit, 'number');
  },
  volumeVector(body) {
    const result = checkPrometheusStyle(body, 'vector');
    assert.ok(result.length > 0);
    for (const s of result) checkSample(s.value);
  },
};

