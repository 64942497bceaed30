import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { LabelCache, parseStreamLabels } from '../../../../schemas/labels/index.js';

const DISCOVER = ['service', 'app', 'job'];

const cases = [
  { name: 'sorted, canonical', text: '{job="x", app="a"}', want: '{app="a", job="x", service_name="a"}' },
  { name: 'service_name kept when sent', text: '{service_name="s", app="a"}', want: '{app="a", service_name="s"}' },
  { name: 'unknown_service when nothing names it', text: '{env="prod"}', want: '{env="prod", service_name="unknown_service"}' },
  { name: 'empty values dropped (Loki: WithoutEmpty)', text: '{a="", job="j"}', want: '{job="j", service_name="j"}' },
  { name: 'empty label set: unknown_service, as Loki', text: '{}', want: '{service_name="unknown_service"}' },
  { name: 'only empty values: unknown_service', text: '{a=""}', want: '{service_name="unknown_service"}' },
];
for (const c of cases) test(`parseStreamLabels: ${c.name}`, () => assert.equal(parseStreamLabels(c.text, DISCOVER).text, c.want));

test('parseStreamLabels: discovery off adds nothing', () => {
  assert.equal(parseStreamLabels('{env="prod"}', []).text, '{env="prod"}');
});

test('parseStreamLabels: unparsable labels fail the request with Loki\'s prefix', () => {
  assert.throws(
    () => parseStreamLabels('{a.b="c"}', DISCOVER),
    (err) => err instanceof FjordError && err.code === 'bad_request' && err.message.startsWith("couldn't parse labels: 1:3: parse error: "),
  );
});

test('LabelCache returns the same parse for the same text and discovery list', () => {
  const cache = new LabelCache(2);
  const a = cache.get('{a="1"}', DISCOVER);
  assert.equal(cache.get('{a="1"}', DISCOVER), a);
  assert.notEqual(cache.get('{a="1"}', []), a);
});

test('LabelCache stays bounded and keeps answering correctly past its capacity', () => {
  const cache = new LabelCache(2);
  const texts = ['{a="1"}', '{a="2"}', '{a="3"}', '{a="1"}'];
  for (const t of texts) assert.deepEqual(cache.get(t, []), parseStreamLabels(t, []));
  const first = cache.get('{a="3"}', []);
  assert.equal(cache.get('{a="3"}', []), first);
});
