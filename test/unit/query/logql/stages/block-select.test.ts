/**
 * Block-level selection of lines by the leading line filters must agree with filtering each line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLogPipeline, parseExpr, type LogSelectorExpr } from '../../../../../query/logql/index.js';

function block(lines: string[]): { text: Buffer; bounds: number[] } {
  const parts = lines.map((l) => Buffer.from(l));
  const bounds = [0];
  for (const p of parts) bounds.push((bounds[bounds.length - 1] as number) + p.length);
  return { text: Buffer.concat(parts), bounds };
}

const lines = ['error a', 'info b', 'xerror', 'err', 'or error', '', 'ERROR c', 'erro', 'rerror error'];
const queries = [
  '{a="b"} |= "error"',
  '{a="b"} != "error"',
  '{a="b"} |= "error" |= "a"',
  '{a="b"} |~ "(?i)error"',
  '{a="b"} |= "error" or "info"',
  '{a="b"} |= "err" != "or"',
  '{a="b"} |= "rer"',
];
for (const q of queries) {
  test(`selectLines agrees with per-line filtering: ${q}`, () => {
    const p = compileLogPipeline(parseExpr(q) as LogSelectorExpr);
    const { text, bounds } = block(lines);
    const selected = [...p.selectLines(text, bounds, lines.length)];
    const sp = p.forStream([{ name: 'a', value: 'b' }]);
    const expected = lines.flatMap((l, i) => (sp.process(0n, Buffer.from(l), []) !== null ? [i] : []));
    assert.deepEqual(selected, expected);
  });
}

test('selectLines: a hit spanning two lines is not a match', () => {
  const p = compileLogPipeline(parseExpr('{a="b"} |= "ab"') as LogSelectorExpr);
  const { text, bounds } = block(['xa', 'by', 'ab']);
  assert.deepEqual([...p.selectLines(text, bounds, 3)], [2]);
});

test('processSelected skips the leading filters', () => {
  const p = compileLogPipeline(parseExpr('{a="b"} |= "zzz" | logfmt') as LogSelectorExpr);
  const sp = p.forStream([{ name: 'a', value: 'b' }]);
  assert.equal(sp.process(0n, Buffer.from('k=v'), []), null);
  assert.equal(sp.processSelected(0n, Buffer.from('k=v'), [])?.parsed[0]?.name, 'k');
});
