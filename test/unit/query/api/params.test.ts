/**
 * Loki's query parameters: defaults and the exact error texts. Expected messages are Loki's, from
 * `L:pkg/loghttp/params.go` (timestamps, since, step, limit, direction, delay_for),
 * `L:pkg/loghttp/query.go` (errEndBeforeStart, errZeroOrNegativeStep, errStepTooSmall,
 * errNegativeInterval, volume options), `L:pkg/loghttp/series.go` (match[] handling),
 * `L:pkg/loghttp/tail.go` (delay_for), `L:pkg/util/validation/validate.go` (ErrQueryTooLong,
 * ErrMaxEntriesLimit) and `L:pkg/querier/limits/validation.go` (stream matchers).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import type { LimitsConfig } from '../../../../schemas/config/index.js';
import { testConfig } from '../../../helpers/config.js';
import {
  defaultStepNs, formFromStrings, parseDetectedFieldsQuery, parseInstantQuery, parseRangeQuery, parseSeriesQuery, parseTailParams, parseTimestamp,
  parseVolumeQuery, type RequestForm,
} from '../../../../query/api/params.js';
import { applyTimeRangeLimits, validateMaxEntries, validateStreamMatchers } from '../../../../query/api/query-limits.js';
import { compileMatcher } from '../../../../query/logql/index.js';

const S = 1_000_000_000n;
const NOW = 1_700_000_000n * S;
const form = (q: string): RequestForm => formFromStrings(q, null);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FjordError, String(err));
    assert.equal(err.code, 'bad_request');
    return err.message;
  }
  assert.fail('expected a bad_request error');
}

const timestampCases: Array<{ name: string; value: string; want: bigint | string }> = [
  { name: 'empty is the default', value: '', want: 42n },
  { name: '10 digits are seconds', value: '1700000000', want: 1_700_000_000n * S },
  { name: 'short integers are seconds', value: '4000000000', want: 4_000_000_000n * S },
  { name: 'longer integers are nanoseconds', value: '1700000000123456789', want: 1_700_000_000_123_456_789n },
  { name: 'float seconds', value: '1700000000.123', want: 1_700_000_000_123_000_000n },
  { name: 'float seconds are rounded to the millisecond', value: '1700000000.1236', want: 1_700_000_000_124_000_000n },
  { name: 'RFC3339', value: '2023-11-14T22:13:20Z', want: 1_700_000_000n * S },
  { name: 'RFC3339Nano with an offset', value: '2023-11-14T23:13:20.5+01:00', want: 1_700_000_000_500_000_000n },
  { name: 'garbage: Go ParseInt error', value: 'abc', want: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  { name: 'out of int64 range', value: '99999999999999999999', want: 'strconv.ParseInt: parsing "99999999999999999999": value out of range' },
];
for (const c of timestampCases) {
  test(`parseTimestamp: ${c.name}`, () => {
    if (typeof c.want === 'bigint') assert.equal(parseTimestamp(c.value, 42n), c.want);
    else assert.equal(messageOf(() => parseTimestamp(c.value, 42n)), c.want);
  });
}

const rangeErrors: Array<{ name: string; q: string; want: string }> = [
  { name: 'bad end', q: 'query={a="b"}&end=x', want: 'could not parse \'end\' parameter: strconv.ParseInt: parsing "x": invalid syntax' },
  { name: 'bad start', q: 'query={a="b"}&start=y', want: 'could not parse \'start\' parameter: strconv.ParseInt: parsing "y": invalid syntax' },
  { name: 'bad since', q: 'query={a="b"}&since=x', want: 'could not parse \'since\' parameter: not a valid duration string: "x"' },
  { name: 'end before start', q: 'query={a="b"}&start=20&end=10', want: 'end timestamp must not be before or equal to start time' },
  { name: 'limit zero', q: 'query={a="b"}&limit=0', want: 'limit must be a positive value' },
  { name: 'limit negative', q: 'query={a="b"}&limit=-3', want: 'limit must be a positive value' },
  { name: 'limit not a number', q: 'query={a="b"}&limit=ten', want: 'strconv.Atoi: parsing "ten": invalid syntax' },
  { name: 'limit past uint32', q: 'query={a="b"}&limit=5000000000', want: 'limit value 5000000000 is out of range [0, 4294967295]' },
  { name: 'bad direction', q: 'query={a="b"}&direction=up', want: "invalid direction 'up'" },
  { name: 'zero step', q: 'query={a="b"}&step=0', want: 'zero or negative query resolution step widths are not accepted. Try a positive integer' },
  { name: 'negative step', q: 'query={a="b"}&step=-5', want: 'zero or negative query resolution step widths are not accepted. Try a positive integer' },
  { name: 'unparsable step', q: 'query={a="b"}&step=abc', want: 'cannot parse "abc" to a valid duration' },
  { name: 'signed duration step', q: 'query={a="b"}&step=-1s', want: 'cannot parse "-1s" to a valid duration' },
  { name: 'overflowing step', q: 'query={a="b"}&step=1e300', want: 'cannot parse "1e300" to a valid duration. It overflows int64' },
  { name: 'too many points', q: 'query={a="b"}&start=0&end=3600&step=0.1', want: 'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter' },
  { name: 'negative interval', q: 'query={a="b"}&interval=-1', want: 'interval must be >= 0' },
];
for (const c of rangeErrors) test(`parseRangeQuery error: ${c.name}`, () => assert.equal(messageOf(() => parseRangeQuery(form(c.q), NOW)), c.want));

test('parseRangeQuery: Loki\'s defaults (limit 100, backward, end now, start end−1h, step max(floor(range/250s),1)s)', () => {
  const p = parseRangeQuery(form('query={a="b"}'), NOW);
  assert.deepEqual(p, { query: '{a="b"}', startNs: NOW - 3600n * S, endNs: NOW, stepNs: 14n * S, intervalNs: 0n, limit: 100, direction: 'backward' });
});

const stepCases: Array<{ name: string; step: string; want: bigint }> = [
  { name: 'Grafana\'s integer ms', step: '15000ms', want: 15n * S },
  { name: 'duration', step: '1m', want: 60n * S },
  { name: 'float seconds', step: '1.5', want: 1_500_000_000n },
  { name: 'integer seconds', step: '30', want: 30n * S },
];
for (const c of stepCases) test(`parseRangeQuery step: ${c.name}`, () => assert.equal(parseRangeQuery(form(`query=x&step=${c.step}`), NOW).stepNs, c.want));

test('parseRangeQuery: start defaults to min(end, now) − since', () => {
  const future = NOW + 7200n * S;
  const p = parseRangeQuery(form(`query=x&end=${future}&since=10m`), NOW);
  assert.equal(p.endNs, future);
  assert.equal(p.startNs, NOW - 600n * S);
});

test('defaultStepNs: at least one second', () => {
  assert.equal(defaultStepNs(0n, 10n * S), S);
  assert.equal(defaultStepNs(0n, 86400n * S), 345n * S);
});

test('POST form values come before the URL query, as Go\'s r.Form', () => {
  const f = formFromStrings('query=fromurl&limit=5', 'query=frombody');
  assert.equal(f.get('query'), 'frombody');
  assert.equal(f.get('limit'), '5');
  assert.deepEqual(f.getAll('query'), ['frombody', 'fromurl']);
});

test('parseInstantQuery: time is not wrapped in its error; defaults to now', () => {
  assert.equal(messageOf(() => parseInstantQuery(form('query=x&time=bad'), NOW)), 'strconv.ParseInt: parsing "bad": invalid syntax');
  assert.equal(parseInstantQuery(form('query=x'), NOW).timeNs, NOW);
  assert.equal(parseInstantQuery(form('query=x&time=4000000000'), NOW).timeNs, 4_000_000_000n * S);
});

test('parseSeriesQuery: match and match[] are merged, deduplicated and sorted; a lone {} is no matcher', () => {
  assert.deepEqual(parseSeriesQuery(form('match[]={b="1"}&match={a="1"}&match[]={b="1"}'), NOW).groups, ['{a="1"}', '{b="1"}']);
  assert.deepEqual(parseSeriesQuery(form('match[]={ }'), NOW).groups, []);
});

const tailErrors: Array<{ name: string; q: string; want: string }> = [
  { name: 'delay_for above 5', q: 'delay_for=6', want: "delay_for can't be greater than 5" },
  { name: 'negative delay_for', q: 'delay_for=-1', want: 'delay_for value -1 is out of range [0, 4294967295]' },
  { name: 'bad limit', q: 'limit=0', want: 'limit must be a positive value' },
];
for (const c of tailErrors) test(`parseTailParams error: ${c.name}`, () => assert.equal(messageOf(() => parseTailParams(form(c.q), NOW)), c.want));

test('parseDetectedFieldsQuery: line_limit 100 and limit 1000 by default; field_limit is the old name', () => {
  const p = parseDetectedFieldsQuery(form('query={a="b"}'), NOW);
  assert.equal(p.lineLimit, 100);
  assert.equal(p.limit, 1000);
  assert.equal(parseDetectedFieldsQuery(form('query={a="b"}&field_limit=7'), NOW).limit, 7);
  assert.equal(messageOf(() => parseDetectedFieldsQuery(form('query=x&line_limit=0'), NOW)), 'limit must be a positive value');
});

test('parseVolumeQuery: limit 0 means 100, bad aggregateBy, targetLabels', () => {
  assert.equal(parseVolumeQuery(form('query={a="b"}&limit=0'), NOW, false).limit, 100);
  assert.equal(messageOf(() => parseVolumeQuery(form('query=x&aggregateBy=pods'), NOW, false)), 'invalid aggregation option');
  assert.equal(messageOf(() => parseVolumeQuery(form('query=x&limit=-1'), NOW, true)), 'limit must be a positive value');
  assert.deepEqual(parseVolumeQuery(form('query=x&targetLabels=app,env'), NOW, true).targetLabels, ['app', 'env']);
  assert.equal(parseVolumeQuery(form('query=x'), NOW, false).stepNs, 0n);
});

const limits = (over: Partial<Record<keyof LimitsConfig, number>>): LimitsConfig => ({ ...testConfig().limits_config, ...over }) as LimitsConfig;

test('validateMaxEntries: Loki\'s message; 0 disables', () => {
  assert.equal(
    messageOf(() => validateMaxEntries(6000, [limits({})])),
    'max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)',
  );
  validateMaxEntries(6000, [limits({ max_entries_limit_per_query: 0 })]);
  assert.equal(messageOf(() => validateMaxEntries(150, [limits({ max_entries_limit_per_query: 200 }), limits({ max_entries_limit_per_query: 100 })])), 'max entries limit per query exceeded, limit > max_entries_limit_per_query (150 > 100)');
});

test('applyTimeRangeLimits: max_query_length with Go and Prometheus duration texts', () => {
  const h = 3600n * S;
  assert.equal(
    messageOf(() => applyTimeRangeLimits(NOW - 722n * h, NOW, NOW, [limits({})])),
    'the query time range exceeds the limit (query length: 722h0m0s, limit: 30d1h)',
  );
  assert.deepEqual(applyTimeRangeLimits(NOW - 721n * h, NOW, NOW, [limits({})]), { startNs: NOW - 721n * h, endNs: NOW });
});

test('applyTimeRangeLimits: max_query_lookback clamps the start, and a range entirely older is empty', () => {
  const h = 3600n * S;
  const l = [limits({ max_query_lookback: 3_600_000 })];
  assert.deepEqual(applyTimeRangeLimits(NOW - 5n * h, NOW, NOW, l), { startNs: NOW - h, endNs: NOW });
  assert.equal(applyTimeRangeLimits(NOW - 5n * h, NOW - 2n * h, NOW, l), null);
});

test('validateStreamMatchers: Loki\'s message', () => {
  const ms = ['a', 'b', 'c'].map((n) => compileMatcher({ name: n, type: '=', value: 'x' }));
  assert.equal(messageOf(() => validateStreamMatchers([ms], [limits({ max_streams_matchers_per_query: 2 })])), 'max streams matchers per query exceeded, matchers-count > limit (3 > 2)');
  validateStreamMatchers([ms], [limits({})]);
});
