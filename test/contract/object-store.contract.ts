/** The ObjectStore contract: one suite, run unchanged against every implementation. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { isFjordError } from '../../schemas/index.js';
import { listAll, type ObjectStore } from '../../platform/store/object-store.js';

/** Makes a started, empty store for one test (cleaned up through `t.after`). */
export type StoreFactory = (t: TestContext) => Promise<ObjectStore>;

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

async function keysOf(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(store, prefix)) out.push(o.key);
  return out;
}

/** Register the contract tests for one implementation. */
export function objectStoreContract(name: string, make: StoreFactory): void {
  test(`${name}: put then get returns the same bytes; put again replaces`, async (t) => {
    const store = await make(t);
    const body = randomBytes(10_000);
    await store.put('a/b/c', body);
    assert.deepEqual(Buffer.from(await store.get('a/b/c')), body);
    await store.put('a/b/c', text('second'));
    assert.equal(str(await store.get('a/b/c')), 'second');
  });

  test(`${name}: get of a missing key is object_not_found; head is null`, async (t) => {
    const store = await make(t);
    await assert.rejects(store.get('missing/key'), (err) => isFjordError(err, 'object_not_found'));
    assert.equal(await store.head('missing/key'), null);
  });

  test(`${name}: head reports the size`, async (t) => {
    const store = await make(t);
    await store.put('x/y', text('12345'));
    const info = await store.head('x/y');
    assert.equal(info?.key, 'x/y');
    assert.equal(info?.sizeBytes, 5);
    assert.ok((info?.lastModifiedMs ?? 0) > 0);
  });

  test(`${name}: ranged get returns the slice, shorter at the end, empty past it`, async (t) => {
    const store = await make(t);
    await store.put('r', text('0123456789'));
    assert.equal(str(await store.getRange('r', 2, 3)), '234');
    assert.equal(str(await store.getRange('r', 7, 10)), '789');
    assert.equal((await store.getRange('r', 20, 5)).length, 0);
    await assert.rejects(store.getRange('nope', 0, 1), (err) => isFjordError(err, 'object_not_found'));
  });

  test(`${name}: put-if-absent writes once and never replaces`, async (t) => {
    const store = await make(t);
    assert.equal(await store.putIfAbsent('once', text('first')), true);
    assert.equal(await store.putIfAbsent('once', text('second')), false);
    assert.equal(str(await store.get('once')), 'first');
  });

  test(`${name}: concurrent put-if-absent: exactly one wins`, async (t) => {
    const store = await make(t);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.putIfAbsent('race', text(`w${i}`))));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal(str(await store.get('race')), `w${winner}`);
  });

  test(`${name}: list by prefix is in key order, paged without loss or repeats`, async (t) => {
    const store = await make(t);
    const keys = ['p/a-c', 'p/a/b', 'p/a/a', 'p/b', 'p/c/d/e', 'q/x', 'pz'];
    for (const k of keys) await store.put(k, text(k));
    assert.deepEqual(await keysOf(store, 'p/'), ['p/a-c', 'p/a/a', 'p/a/b', 'p/b', 'p/c/d/e']);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<ObjectStore['listPage']>> = await store.listPage('p', { maxKeys: 2, token });
      seen.push(...page.objects.map((o) => o.key));
      token = page.nextToken;
      pages++;
    } while (token !== null);
    assert.deepEqual(seen, ['p/a-c', 'p/a/a', 'p/a/b', 'p/b', 'p/c/d/e', 'pz']);
    assert.ok(pages === 3 || pages === 4, `${pages} pages (a server may end with an empty page)`);
  });

  test(`${name}: list with a delimiter returns objects and common prefixes`, async (t) => {
    const store = await make(t);
    for (const k of ['idx/1/t1/a', 'idx/1/t1/b', 'idx/1/t2/a', 'idx/1/top', 'idx/2/t1/a']) await store.put(k, text(k));
    const page = await store.listPage('idx/1/', { delimiter: '/' });
    assert.deepEqual(page.objects.map((o) => o.key), ['idx/1/top']);
    assert.deepEqual(page.prefixes, ['idx/1/t1/', 'idx/1/t2/']);
    assert.equal(page.nextToken, null);
    const top = await store.listPage('idx/', { delimiter: '/' });
    assert.deepEqual(top.prefixes, ['idx/1/', 'idx/2/']);
  });

  test(`${name}: delete removes; deleting a missing key is fine`, async (t) => {
    const store = await make(t);
    await store.put('d/1', text('x'));
    await store.delete('d/1');
    assert.equal(await store.head('d/1'), null);
    await store.delete('d/1');
    assert.deepEqual(await keysOf(store, 'd/'), []);
  });

  test(`${name}: invalid keys are refused`, async (t) => {
    const store = await make(t);
    for (const key of ['', '/abs', 'a/../b', 'a//b', 'trailing/']) {
      await assert.rejects(store.put(key, text('x')), (err) => isFjordError(err, 'invalid_object_key'), key);
    }
  });

  test(`${name}: a 6 MB object round-trips`, async (t) => {
    const store = await make(t);
    const body = randomBytes(6 * 1024 * 1024);
    await store.put('big/object', body);
    const back = await store.get('big/object');
    assert.equal(back.length, body.length);
    assert.ok(Buffer.from(back).equals(body));
    assert.ok(Buffer.from(await store.getRange('big/object', 5_000_000, 16)).equals(body.subarray(5_000_000, 5_000_016)));
  });
}
