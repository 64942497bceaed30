import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, encodeFrames, scanFrames, type StoredRecord } from '../../../../platform/log/embedded/record-frame.js';

const records: StoredRecord[] = [
  { offset: 7, timestampMs: 1_700_000_000_123, key: Buffer.from('k'), value: Buffer.from('hello'), headers: { tenant: Buffer.from('t1') } },
  { offset: 8, timestampMs: 1_700_000_000_124, key: null, value: Buffer.alloc(0), headers: {} },
  { offset: 9, timestampMs: 1, key: Buffer.alloc(0), value: Buffer.from([0, 255, 1]), headers: { a: Buffer.from('1'), b: Buffer.alloc(0) } },
];

test('record frames round-trip', () => {
  const buf = encodeFrames(records);
  const scan = scanFrames(buf);
  assert.equal(scan.corrupt, false);
  assert.equal(scan.validBytes, buf.length);
  assert.deepEqual(scan.frames.map((f) => f.offset), [7, 8, 9]);
  const back = scan.frames.map((f) => decodeFrame(buf, f.position));
  assert.deepEqual(
    back.map((r) => ({ ...r, key: r.key && Buffer.from(r.key), value: Buffer.from(r.value), headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)])) })),
    records,
  );
});

test('a torn tail stops the scan at the last whole frame', () => {
  const buf = encodeFrames(records);
  const whole = scanFrames(buf).frames;
  for (let cut = 1; cut < (whole[2]?.size ?? 0); cut++) {
    const scan = scanFrames(buf.subarray(0, buf.length - cut));
    assert.equal(scan.frames.length, 2, `cut ${cut}`);
    assert.equal(scan.validBytes, whole[2]?.position);
  }
});

test('a flipped bit is detected by the CRC', () => {
  const buf = Buffer.from(encodeFrames(records));
  const second = scanFrames(buf).frames[1];
  const at = (second?.position ?? 0) + 12;
  buf[at] = (buf[at] as number) ^ 0x10;
  const scan = scanFrames(buf);
  assert.equal(scan.corrupt, true);
  assert.equal(scan.frames.length, 1);
  assert.equal(scan.validBytes, second?.position);
});
