/** RFC 6455 framing: the accept key example of the RFC, lengths, masking, fragments, control frames, errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameDecoder, OPCODE, WsProtocolError, acceptKey, closePayload, encodeFrame } from '../../../../query/api/websocket-frames.js';

test('acceptKey: the example of RFC 6455 §1.3', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

const mask = Buffer.from([1, 2, 3, 4]);
const sizes = [{ name: 'small', n: 5 }, { name: '16-bit length', n: 300 }, { name: '64-bit length', n: 70_000 }];
for (const s of sizes) {
  test(`round trip, ${s.name}, masked client → server and unmasked server → client`, () => {
    const text = 'x'.repeat(s.n);
    const fromClient = new FrameDecoder(true).push(encodeFrame(OPCODE.text, Buffer.from(text), mask));
    assert.deepEqual(fromClient, [{ kind: 'text', text }]);
    const fromServer = new FrameDecoder(false).push(encodeFrame(OPCODE.text, Buffer.from(text)));
    assert.deepEqual(fromServer, [{ kind: 'text', text }]);
  });
}

test('bytes split anywhere are reassembled; fragments form one message; control frames between fragments', () => {
  const a = encodeFrame(OPCODE.text, Buffer.from('hel'), mask);
  a[0] = (a[0] as number) & 0x7f; // not final
  const ping = encodeFrame(OPCODE.ping, Buffer.from('p'), mask);
  const b = encodeFrame(OPCODE.continuation, Buffer.from('lo'), mask);
  const all = Buffer.concat([a, ping, b]);
  const d = new FrameDecoder(true);
  const out = [];
  for (let i = 0; i < all.length; i++) out.push(...d.push(all.subarray(i, i + 1)));
  assert.deepEqual(out, [{ kind: 'ping', data: Buffer.from('p') }, { kind: 'text', text: 'hello' }]);
});

test('close frames carry code and reason', () => {
  assert.deepEqual(new FrameDecoder(false).push(encodeFrame(OPCODE.close, closePayload(1011, 'reached tail max duration limit'))), [
    { kind: 'close', code: 1011, reason: 'reached tail max duration limit' },
  ]);
});

const bad: Array<{ name: string; bytes: Buffer; expectMasked: boolean }> = [
  { name: 'an unmasked client frame', bytes: encodeFrame(OPCODE.text, Buffer.from('x')), expectMasked: true },
  { name: 'a masked server frame', bytes: encodeFrame(OPCODE.text, Buffer.from('x'), mask), expectMasked: false },
  { name: 'reserved bits', bytes: Buffer.from([0xc1, 0x80, 0, 0, 0, 0]), expectMasked: true },
  { name: 'a continuation without a start', bytes: encodeFrame(OPCODE.continuation, Buffer.from('x'), mask), expectMasked: true },
  { name: 'an unknown opcode', bytes: encodeFrame(0x3, Buffer.from('x'), mask), expectMasked: true },
];
for (const c of bad) test(`protocol error: ${c.name}`, () => assert.throws(() => new FrameDecoder(c.expectMasked).push(c.bytes), WsProtocolError));

test('a frame larger than the bound is refused with 1009', () => {
  assert.throws(() => new FrameDecoder(true, 10).push(encodeFrame(OPCODE.text, Buffer.alloc(20), mask)), (e: unknown) => e instanceof WsProtocolError && e.closeCode === 1009);
});
