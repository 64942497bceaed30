/** Push-then-query rounds with the push's write position, for the read-your-writes tests. */
import assert from 'node:assert/strict';
import type { FjordChild } from './fjord-process.js';

/** Push one line to stream {run, app} as `tenant`; returns the write position the push answered. */
export async function pushLine(f: FjordChild, tenant: string, run: string, app: string, line: string): Promise<string> {
  const body = { streams: [{ stream: { run, app }, values: [[String(BigInt(Date.now()) * 1_000_000n), line]] }] };
  const res = await fetch(`${f.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant }, body: JSON.stringify(body) });
  assert.equal(res.status, 204, await res.text());
  const position = res.headers.get('x-fjord-write-position');
  assert.ok(position, 'a push answers its write position');
  return position;
}

/** The newest lines of stream {run, app} over the last minute, with extra request headers. */
export async function queryLines(f: FjordChild, tenant: string, run: string, app: string, headers: Record<string, string>): Promise<{ status: number; text: string; lines: string[] }> {
  const q = new URLSearchParams({ query: `{run="${run}", app="${app}"}`, start: String(BigInt(Date.now() - 60_000) * 1_000_000n), end: String(BigInt(Date.now() + 60_000) * 1_000_000n), limit: '5', direction: 'backward' });
  const res = await fetch(`${f.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': tenant, ...headers } });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, text, lines: [] };
  const body = JSON.parse(text) as { data: { result: Array<{ values: Array<[string, string]> }> } };
  return { status: 200, text, lines: body.data.result.flatMap((s) => s.values.map((v) => v[1])) };
}

/**
 * `count` rounds, each a push (to the writers in turn) followed at once by a query with its write
 * position; `beforeRound` runs first in each. Returns the rounds that did not see their line.
 */
export async function pushThenQueryRounds(
  writers: readonly FjordChild[], reader: FjordChild, tenant: string, run: string, count: number,
  beforeRound: (i: number) => Promise<void> = async () => undefined,
): Promise<string[]> {
  const missed: string[] = [];
  for (let i = 0; i < count; i++) {
    await beforeRound(i);
    const app = `a${i % 8}`;
    const line = `${run} round=${i}`;
    const position = await pushLine(writers[i % writers.length] as FjordChild, tenant, run, app, line);
    const r = await queryLines(reader, tenant, run, app, { 'x-fjord-write-position': position, 'x-fjord-write-position-timeout': '20s' });
    if (r.status !== 200) missed.push(`round ${i}: ${r.status} ${r.text.trim()}`);
    else if (!r.lines.includes(line)) missed.push(`round ${i}: ${line} missing from ${JSON.stringify(r.lines)}`);
  }
  return missed;
}
