import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { LiveTails, type TailBatch, type TailSubscriber } from '../../../../consumers/ingester/live-tails.js';

const entry = (ts: bigint) => ({ tsNs: ts, line: Buffer.from(`l${ts}`), structuredMetadata: [] });

function subscriber(tenant: string, matchers: Array<[string, string]>, partitions: number[]) {
  const got: TailBatch[] = [];
  const ended: string[] = [];
  const s: TailSubscriber = { tenant, matchers, partitions: new Set(partitions), deliver: (b) => got.push(b), end: (r) => ended.push(r) };
  return { s, got, ended };
}

const cases = [
  { name: 'matching tenant, partition and matchers', tenant: 't', matchers: [['app', 'a']] as Array<[string, string]>, partitions: [0], want: 1 },
  { name: 'another tenant', tenant: 'u', matchers: [] as Array<[string, string]>, partitions: [0], want: 0 },
  { name: 'another partition', tenant: 't', matchers: [] as Array<[string, string]>, partitions: [1], want: 0 },
  { name: 'a matcher that fails', tenant: 't', matchers: [['app', 'b']] as Array<[string, string]>, partitions: [0], want: 0 },
  { name: 'an empty value matches an absent label', tenant: 't', matchers: [['env', '']] as Array<[string, string]>, partitions: [0], want: 1 },
];
for (const c of cases) {
  test(`LiveTails.offer: ${c.name}`, () => {
    const tails = new LiveTails();
    const sub = subscriber(c.tenant, c.matchers, c.partitions);
    tails.subscribe(sub.s);
    tails.offer('t', labelsFromObject({ app: 'a' }), { partition: 0, labelsText: '{app="a"}', entries: [entry(1n)] });
    assert.equal(sub.got.length, c.want);
  });
}

test('LiveTails: unsubscribe, isTailed, and ending the readers of revoked partitions', () => {
  const tails = new LiveTails();
  const a = subscriber('t', [], [0, 1]);
  const b = subscriber('t', [], [2]);
  const off = tails.subscribe(a.s);
  tails.subscribe(b.s);
  assert.equal(tails.size, 2);
  assert.equal(tails.isTailed('t'), true);
  tails.endReading([1], 'partitions revoked');
  assert.deepEqual([a.ended, b.ended], [['partitions revoked'], []]);
  assert.equal(tails.size, 1);
  off();
  assert.equal(tails.size, 1, 'removing an ended subscriber again is harmless');
  tails.endReading(null, 'stopping');
  assert.deepEqual(b.ended, ['stopping']);
  assert.equal(tails.isTailed('t'), false);
});
