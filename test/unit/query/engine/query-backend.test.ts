/** The partial-answer warning (`querier.allow_partial_ingester_answers`): its text, how it is recognised, and its refusal where a response cannot carry it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { isPartialIngesterWarning, partialIngesterWarning, partialSeriesWarning, refusePartialAnswer } from '../../../../query/engine/query-backend.js';

const texts: Array<{ name: string; partitions: number[]; want: string }> = [
  { name: 'one partition', partitions: [3], want: 'partial answer: no caught-up ingester for partitions 3; lines still in those ingesters are missing' },
  { name: 'ascending, each once', partitions: [7, 3, 10, 3], want: 'partial answer: no caught-up ingester for partitions 3, 7, 10; lines still in those ingesters are missing' },
];
for (const c of texts) test(`partialIngesterWarning: ${c.name}`, () => assert.equal(partialIngesterWarning(c.partitions), c.want));

const kinds: Array<{ name: string; warning: string; want: boolean }> = [
  { name: 'a partial answer', warning: partialIngesterWarning([1]), want: true },
  { name: 'Loki\'s max_query_series warning', warning: partialSeriesWarning(10), want: false },
];
for (const c of kinds) test(`isPartialIngesterWarning: ${c.name}`, () => assert.equal(isPartialIngesterWarning(c.warning), c.want));

test('refusePartialAnswer: a partial answer is the retryable 503 naming its partitions; other warnings pass', () => {
  assert.throws(() => refusePartialAnswer([partialSeriesWarning(1), partialIngesterWarning([2, 0])]), (err: unknown) => {
    assert.ok(err instanceof FjordError);
    assert.equal(err.code, 'log_unavailable');
    assert.equal(err.message, 'partial answer: no caught-up ingester for partitions 0, 2; lines still in those ingesters are missing; retry later');
    return true;
  });
  assert.doesNotThrow(() => refusePartialAnswer([partialSeriesWarning(1)]));
  assert.doesNotThrow(() => refusePartialAnswer([]));
});
