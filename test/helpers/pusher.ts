/**
 * A steady push load for end-to-end tests: numbered lines on a few streams, sent as Loki JSON; it
 * remembers every line whose push was acknowledged (204), which is what must be readable later.
 */
import type { TestContext } from 'node:test';
import { onCleanup, waitUntil } from './env.js';
import type { FjordChild } from './fjord-process.js';

/** A running load. */
export interface Pusher {
  /** Lines acknowledged so far, by stream label value `app`. */
  readonly acked: Map<string, Set<string>>;
  /** Pushes that failed (any status but 204, or no answer). */
  failures(): number;
  /** Lines acknowledged so far, over every stream. */
  ackedLines(): number;
  /** Wait (a bounded poll) until `lines` more lines than now have been acknowledged. */
  waitForMore(lines: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Push `linesPerPush` lines to each of `streams` streams (label `app="s<i>"`) every `everyMs`,
 * to `target()` (so the target can change during a test), as tenant `tenant`.
 */
export function startPusher(t: TestContext, target: () => FjordChild, tenant: string, opts: { streams: number; linesPerPush: number; everyMs: number; run: string }): Pusher {
  const acked = new Map<string, Set<string>>();
  let failed = 0;
  let stopped = false;
  let seq = 0;
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      const n = seq++;
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const streams = Array.from({ length: opts.streams }, (_, s) => ({
        stream: { app: `s${s}`, run: opts.run },
        values: Array.from({ length: opts.linesPerPush }, (_, i) => [String(nowNs + BigInt(i)), `${opts.run} push=${n} line=${i} stream=s${s} level=info`]),
      }));
      try {
        const res = await fetch(`${target().url}/loki/api/v1/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
          body: JSON.stringify({ streams }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        if (res.status === 204) {
          for (const s of streams) {
            const set = acked.get(s.stream.app) ?? new Set<string>();
            for (const [, line] of s.values) set.add(line as string);
            acked.set(s.stream.app, set);
          }
        } else failed++;
      } catch {
        failed++;
      }
      const wait = opts.everyMs - (Date.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const stop = async () => {
    stopped = true;
    await loop;
  };
  onCleanup(t, stop);
  const ackedLines = () => {
    let n = 0;
    for (const set of acked.values()) n += set.size;
    return n;
  };
  const waitForMore = async (lines: number, timeoutMs = 60_000) => {
    const target = ackedLines() + lines;
    await waitUntil(`${target} lines acknowledged`, () => ackedLines() >= target, timeoutMs, 50);
  };
  return { acked, failures: () => failed, ackedLines, waitForMore, stop };
}

/** Every line of stream `app` returned by query_range over the last `sinceMs`, in pages (forward). */
export async function readStream(querier: FjordChild, tenant: string, run: string, app: string, sinceMs: number): Promise<string[]> {
  const out: string[] = [];
  let start = BigInt(Date.now() - sinceMs) * 1_000_000n;
  const end = BigInt(Date.now() + 60_000) * 1_000_000n;
  for (;;) {
    const q = new URLSearchParams({ query: `{app="${app}", run="${run}"}`, start: String(start), end: String(end), limit: '5000', direction: 'forward' });
    const res = await fetch(`${querier.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': tenant } });
    if (res.status !== 200) throw new Error(`query_range answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
    const values = body.data.result.flatMap((s) => s.values).sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
    out.push(...values.map((v) => v[1]));
    if (values.length < 5000) return out;
    start = BigInt((values[values.length - 1] as [string, string])[0]) + 1n;
  }
}
