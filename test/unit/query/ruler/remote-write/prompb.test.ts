import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWriteRequest, encodeWriteRequest } from '../../../../../query/ruler/remote-write/prompb.js';
import { decodeWalRecord, encodeWalRecord, RECORD_HEADER_BYTES } from '../../../../../query/ruler/remote-write/wal-record.js';

const labels = [{ name: '__name__', value: 'r' }, { name: 'a', value: 'b' }];

test('encodeWriteRequest: Prometheus\' WriteRequest bytes for one sample', () => {
  const bytes = encodeWriteRequest([{ labels, tsMs: 1000, value: 1 }]);
  // WriteRequest{timeseries: [TimeSeries{labels: [{__name__, r}, {a, b}], samples: [{value: 1, timestamp: 1000}]}]}
  // TimeSeries: labels (field 1) then the sample (field 2: double 1.0 as field 1, timestamp 1000 as field 2).
  const want = Buffer.from('0a25' + '0a0d0a085f5f6e616d655f5f120172' + '0a060a0161120162' + '120c09000000000000f03f10e807', 'hex');
  assert.deepEqual(Buffer.from(bytes), want);
});

test('encodeWriteRequest: one series per label set, labels sorted, samples in time order; decode gives them back', () => {
  const bytes = encodeWriteRequest([
    { labels: [{ name: 'b', value: '2' }, { name: '__name__', value: 'x' }], tsMs: 2000, value: 2 },
    { labels: [{ name: '__name__', value: 'x' }, { name: 'b', value: '2' }], tsMs: 1000, value: 1 },
    { labels, tsMs: 1000, value: 0, stale: true },
  ]);
  const series = decodeWriteRequest(bytes);
  assert.equal(series.length, 2);
  assert.deepEqual(series[0], { labels: { __name__: 'x', b: '2' }, samples: [{ value: 1, tsMs: 1000, stale: false }, { value: 2, tsMs: 2000, stale: false }] });
  assert.equal(series[1]?.samples[0]?.stale, true, 'the StaleNaN bits are written');
  assert.ok(Number.isNaN(series[1]?.samples[0]?.value));
});

test('concatenated WriteRequests read as one (how queued records are batched)', () => {
  const a = encodeWriteRequest([{ labels, tsMs: 1, value: 1 }]);
  const b = encodeWriteRequest([{ labels, tsMs: 2, value: 2 }]);
  assert.equal(decodeWriteRequest(Buffer.concat([a, b])).length, 2);
});

test('WAL records: round trip, and a torn or corrupted record reads as the end', () => {
  const payload = encodeWriteRequest([{ labels, tsMs: 5, value: 5 }]);
  const rec = encodeWalRecord(payload, 1, 5);
  const two = Buffer.concat([rec, rec]);
  const first = decodeWalRecord(two, 0);
  assert.deepEqual([first?.samples, first?.newestMs, first?.end, Buffer.from(first?.payload ?? [])], [1, 5, rec.length, Buffer.from(payload)]);
  assert.equal(decodeWalRecord(two, rec.length)?.end, two.length);
  assert.equal(decodeWalRecord(two.subarray(0, rec.length + RECORD_HEADER_BYTES + 2), rec.length), null, 'torn');
  const bad = Buffer.from(rec);
  bad[RECORD_HEADER_BYTES] = (bad[RECORD_HEADER_BYTES] as number) ^ 0xff;
  assert.equal(decodeWalRecord(bad, 0), null, 'checksum');
});
