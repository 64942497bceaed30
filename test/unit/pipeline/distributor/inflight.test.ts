/** The distributor's bound on push bytes in flight: back-pressure, Loki's 503 past the deadline. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InflightBytes } from '../../../../pipeline/distributor/inflight.js';
import { FjordError } from '../../../../schemas/index.js';

const overloaded = (err: unknown) =>
  err instanceof FjordError && err.code === 'server_overloaded' && err.message === 'The server cannot accept more requests at this time.';

test('InflightBytes: reserves up to the bound; a release lets the next push in', async () => {
  const b = new InflightBytes(100);
  const r1 = await b.acquire(60, 1000);
  assert.equal(b.current(), 60);
  let granted = false;
  const second = b.acquire(60, 10_000).then((r) => {
    granted = true;
    return r;
  });
  await Promise.resolve();
  assert.equal(granted, false, 'waits while 60 + 60 > 100');
  r1();
  r1(); // releasing twice releases once
  const r2 = await second;
  assert.equal(b.current(), 60);
  r2();
  assert.equal(b.current(), 0);
});

test('InflightBytes: a push larger than the bound goes alone', async () => {
  const b = new InflightBytes(100);
  const big = await b.acquire(500, 1000);
  assert.equal(b.current(), 500);
  big();
});

test('InflightBytes: 0 is unbounded', async () => {
  const b = new InflightBytes(0);
  const r = await Promise.all([b.acquire(1e9, 10), b.acquire(1e9, 10)]);
  assert.equal(b.current(), 2e9);
  for (const f of r) f();
});

test('InflightBytes: a waiting push gets server_overloaded at its deadline, and no bytes stay counted', async () => {
  const b = new InflightBytes(100);
  const r1 = await b.acquire(100, 1000);
  await assert.rejects(b.acquire(1, 20), overloaded);
  r1();
  assert.equal(b.current(), 0);
});

test('InflightBytes: an aborted wait is refused the same way', async () => {
  const b = new InflightBytes(100);
  const r1 = await b.acquire(100, 1000);
  const ac = new AbortController();
  const waiting = b.acquire(1, 10_000, ac.signal);
  ac.abort();
  await assert.rejects(waiting, overloaded);
  r1();
  assert.equal(b.current(), 0);
});
