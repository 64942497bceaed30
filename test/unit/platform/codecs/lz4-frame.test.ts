import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Lz4TooLarge, decodeLz4Frames } from '../../../../platform/codecs/index.js';
import { xxh32 } from '../../../../platform/codecs/lz4-frame.js';
import { fixturePath } from '../../../helpers/bytes.js';

const fixture = (name: string): Buffer => readFileSync(fixturePath(`push/${name}`));

/** The body both fixtures hold, as their README describes it. */
function expectedBodies(): string[] {
  return Array.from({ length: 1000 }, (_, i) => `record ${i} level=${i % 7 ? 'info' : 'error'} msg="request served" path=/api/v${i % 13}/items/${(i * 7919) % 10007} took=${(i * 37) % 1000}ms`);
}

function bodiesOf(json: Uint8Array): string[] {
  const req = JSON.parse(Buffer.from(json).toString('utf8')) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ body: { stringValue: string } }> }> }> };
  return req.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((l) => l.body.stringValue)));
}

test('xxh32: the reference vectors', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  assert.equal(xxh32(b('')), 0x02cc5d05);
  assert.equal(xxh32(b('a')), 0x550d7456);
  assert.equal(xxh32(b('abc')), 0x32d153ff);
  assert.equal(xxh32(b('Nobody inspects the spammish repetition')), 0xe2293b2f);
});

test('decodeLz4Frames: frames written by the lz4 tool, independent and linked blocks, with checksums', () => {
  for (const name of ['otlp-default.json.lz4', 'otlp-linked.json.lz4']) {
    const out = decodeLz4Frames(fixture(name), 1 << 20);
    assert.equal(out.length, 129_350, name);
    assert.deepEqual(bodiesOf(out), expectedBodies(), name);
  }
});

test('decodeLz4Frames: concatenated and skippable frames decode one after another', () => {
  const one = fixture('otlp-linked.json.lz4');
  const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
  const out = decodeLz4Frames(Buffer.concat([one, skippable, fixture('otlp-default.json.lz4')]), 1 << 20);
  assert.equal(out.length, 2 * 129_350);
  assert.deepEqual(Buffer.from(out.subarray(0, 129_350)), Buffer.from(out.subarray(129_350)));
});

test('decodeLz4Frames: the output bound stops decoding', () => {
  assert.throws(() => decodeLz4Frames(fixture('otlp-default.json.lz4'), 100_000), (err) => err instanceof Lz4TooLarge);
  assert.equal(decodeLz4Frames(fixture('otlp-default.json.lz4'), 129_350).length, 129_350);
});

test('decodeLz4Frames: corrupt input is refused with a reason', () => {
  const good = fixture('otlp-linked.json.lz4');
  const cases: Array<[string, Buffer, RegExp]> = [
    ['not a frame', Buffer.from('{"resourceLogs":[]}'), /not an lz4 frame/],
    ['empty', Buffer.alloc(0), /no lz4 frame/],
    ['truncated', good.subarray(0, good.length - 10), /truncated|past the frame/],
    ['header checksum', Buffer.concat([good.subarray(0, 14), Buffer.from([(good[14] as number) ^ 1]), good.subarray(15)]), /header checksum/],
    ['block checksum', Buffer.concat([good.subarray(0, 40), Buffer.from([(good[40] as number) ^ 0xff]), good.subarray(41)]), /checksum|offset|length|past/],
    ['garbage after', Buffer.concat([good, Buffer.from([1, 2, 3, 4, 5])]), /garbage after/],
  ];
  for (const [name, body, want] of cases) assert.throws(() => decodeLz4Frames(body, 1 << 20), want, name);
});
