import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERR_NOT_VECTOR, answerVector, frontendBaseUrl, jitterMs } from '../../../../query/ruler/rule-query.js';

test('answerVector: a vector answer, labels sorted', () => {
  const text = '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"level":"error","app":"a"},"value":[1700000000.5,"8"]}]}}';
  assert.deepEqual(answerVector(text, 0), [{ metric: [{ name: 'app', value: 'a' }, { name: 'level', value: 'error' }], tsMs: 1_700_000_000_500, value: 8 }]);
});

test('answerVector: a scalar is one sample without labels; streams are Loki\'s error', () => {
  assert.deepEqual(answerVector('{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}', 5), [{ metric: [], tsMs: 5, value: 2 }]);
  assert.throws(() => answerVector('{"status":"success","data":{"resultType":"streams","result":[]}}', 0), new RegExp(ERR_NOT_VECTOR));
  assert.throws(() => answerVector('nope', 0), /^Error: unexpected body encoding, not valid JSON/);
  assert.throws(() => answerVector('{"status":"error"}', 0), /^Error: query response error: status "error"/);
});

test('answerVector: a partial answer (querier.allow_partial_ingester_answers) fails the evaluation with its warning', () => {
  const text = '{"status":"success","warnings":["partial answer: no caught-up ingester for partitions 2; lines still in those ingesters are missing"],"data":{"resultType":"vector","result":[]}}';
  assert.throws(() => answerVector(text, 0), /^Error: partial answer: no caught-up ingester for partitions 2;/);
  const drilldown = '{"status":"success","warnings":["maximum number of series (1) reached for a single query; returning partial results"],"data":{"resultType":"vector","result":[]}}';
  assert.deepEqual(answerVector(drilldown, 0), []);
});

test('jitterMs: a fixed share of the maximum per query text', () => {
  const j = jitterMs('sum(rate({a="b"}[1m]))', 1000);
  assert.equal(j, jitterMs('sum(rate({a="b"}[1m]))', 1000));
  assert.ok(j >= 0 && j <= 1000);
  assert.equal(jitterMs('x', 0), 0);
});

test('frontendBaseUrl: host:port or a URL', () => {
  assert.equal(frontendBaseUrl('qf:3100'), 'http://qf:3100');
  assert.equal(frontendBaseUrl('https://qf.example/'), 'https://qf.example');
});
