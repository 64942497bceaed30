/** Sample streams for query API tests: a JSON stream with structured metadata, a logfmt stream, another tenant's stream. */
import type { FakeStream } from './fake-query-backend.js';

const S = 1_000_000_000n;
const MIN = 60n * S;
/** The clock of the sample: 2023-11-14T22:13:20Z. */
export const NOW = 1_700_000_000n * S;

/** Two streams over the last hour: JSON lines with structured metadata, and logfmt lines. */
export function sampleStreams(): FakeStream[] {
  const api = [];
  const web = [];
  for (let i = 0; i < 30; i++) {
    api.push({ tsNs: NOW - BigInt(60 - 2 * i) * MIN, line: `{"status":${i % 3 === 0 ? 500 : 200},"path":"/p${i % 4}","user":{"id":"u${i % 5}"}}`, sm: { trace_id: `t${i}` } });
    web.push({ tsNs: NOW - BigInt(59 - 2 * i) * MIN, line: `level=${i % 2 === 0 ? 'info' : 'error'} msg="req ${i}" dur=${i}ms` });
  }
  return [
    { labels: { app: 'api', env: 'prod', service_name: 'api' }, entries: api },
    { labels: { app: 'web', env: 'dev', service_name: 'web' }, entries: web },
    { labels: { app: 'other', env: 'prod' }, entries: [{ tsNs: NOW - MIN, line: 'hello' }], tenant: 'team-b' },
  ];
}

