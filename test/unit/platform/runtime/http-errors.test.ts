import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endsWithNewline } from '../../../../platform/runtime/http-errors.js';
import { FjordError } from '../../../../schemas/index.js';

const bad = new FjordError('bad_request', 'x');
const cases = [
  { name: 'query_range (WriteError)', url: '/loki/api/v1/query_range?query=x', err: bad, want: false },
  { name: 'labels', url: '/loki/api/v1/labels', err: bad, want: false },
  { name: 'legacy query', url: '/api/prom/query?query=x', err: bad, want: false },
  { name: 'delete API (http.Error)', url: '/loki/api/v1/delete?request_id=1', err: bad, want: true },
  { name: 'rules API', url: '/loki/api/v1/rules/ns', err: bad, want: true },
  { name: 'legacy rules API', url: '/api/prom/rules', err: bad, want: true },
  { name: 'admin route', url: '/flush', err: bad, want: true },
  { name: 'no org id on a query route (dskit middleware)', url: '/loki/api/v1/query', err: new FjordError('no_org_id', 'no org id'), want: true },
];
for (const c of cases) test(`endsWithNewline: ${c.name}`, () => assert.equal(endsWithNewline(c.url, c.err), c.want));
