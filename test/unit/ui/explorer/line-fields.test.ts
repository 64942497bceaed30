import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLineFields } from '../../../../ui/explorer/line-fields.js';

const cases = [
  { name: 'JSON object, nested as JSON', line: '{"level":"info","n":3,"req":{"path":"/a"}}', want: { level: 'info', n: '3', req: '{"path":"/a"}' } },
  { name: 'logfmt with quotes', line: 'level=warn msg="two words \\"q\\"" empty= dur=5ms', want: { level: 'warn', msg: 'two words "q"', empty: '', dur: '5ms' } },
  { name: 'plain text', line: 'GET /index.html 200', want: {} },
  { name: 'JSON array is not fields', line: '[1,2]', want: {} },
  { name: 'broken JSON falls back to logfmt', line: '{"a": x=1', want: { x: '1' } },
];
for (const c of cases) test(`parseLineFields: ${c.name}`, () => assert.deepEqual(parseLineFields(c.line), c.want));
