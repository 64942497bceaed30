/**
 * A loop of queries every 250 ms while a fault happens, counting `run`'s lines — the instant
 * `sum(count_over_time({run="…"}[10m]))`, or the entries of a log `query_range` over the same
 * 10 minutes — each answer kept with its warnings and the lines acknowledged CONSUME_MARGIN_MS
 * before it was sent (ingesters consume a moment after the acknowledgement): a 200 below that
 * count missed acknowledged lines.
 */
import type { TestContext } from 'node:test';

const CONSUME_MARGIN_MS = 1500;
const EVERY_MS = 250;
const WINDOW_MS = 600_000;

/** What the loop asks: the metric count, or a log query whose entries are counted (at most `limit`). */
export type CountQuery = { readonly kind: 'metric' } | { readonly kind: 'log'; readonly limit: number };

/** One query of the loop. */
export interface CountAnswer {
  readonly sentMs: number;
  readonly status: number;
  /** The answered count, -1 when not 200. */
  readonly count: number;
  /** The answer's Loki `warnings` (none when not 200). */
  readonly warnings: readonly string[];
  /** Lines acknowledged CONSUME_MARGIN_MS before the query was sent. */
  readonly required: number;
  readonly body: string;
}

export interface CountAnswerLoop {
  /** Answers so far, in the order sent. */
  readonly answers: readonly CountAnswer[];
  /** Stop querying; resolves once the query in flight has answered. */
  stop(): Promise<void>;
}

interface QueryAnswer {
  readonly warnings?: string[];
  readonly data: { readonly result: Array<{ readonly value?: [number, string]; readonly values?: unknown[] }> };
}

function countQuery(query: CountQuery, run: string, sentMs: number): { path: string; params: URLSearchParams; count: (a: QueryAnswer) => number } {
  const endNs = BigInt(sentMs + 1000) * 1_000_000n;
  if (query.kind === 'metric') {
    return {
      path: '/loki/api/v1/query',
      params: new URLSearchParams({ query: `sum(count_over_time({run="${run}"}[10m]))`, time: String(endNs) }),
      count: (a) => Number(a.data.result[0]?.value?.[1] ?? 0),
    };
  }
  const startNs = endNs - BigInt(WINDOW_MS) * 1_000_000n;
  return {
    path: '/loki/api/v1/query_range',
    params: new URLSearchParams({ query: `{run="${run}"}`, start: String(startNs), end: String(endNs), limit: String(query.limit), direction: 'forward' }),
    count: (a) => a.data.result.reduce((n, s) => n + (s.values?.length ?? 0), 0),
  };
}

/** Start querying `url` for `run`'s line count as `tenant`; `ackedLines` reads the pusher's acknowledged count. */
export function startCountAnswers(
  t: TestContext, url: string, tenant: string, run: string, ackedLines: () => number, timeoutMs: number, query: CountQuery = { kind: 'metric' },
): CountAnswerLoop {
  const ackedAt: Array<[number, number]> = [];
  const requiredAt = (ms: number) => {
    let n = 0;
    for (const [at, lines] of ackedAt) if (at <= ms) n = lines;
    return n;
  };
  const answers: CountAnswer[] = [];
  let querying = true;
  const loop = (async () => {
    while (querying) {
      const sentMs = Date.now();
      ackedAt.push([sentMs, ackedLines()]);
      const q = countQuery(query, run, sentMs);
      const res = await fetch(`${url}${q.path}?${q.params}`, { headers: { 'x-scope-orgid': tenant }, signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      const parsed = res.status === 200 ? (JSON.parse(body) as QueryAnswer) : null;
      const count = parsed === null ? -1 : q.count(parsed);
      answers.push({ sentMs, status: res.status, count, warnings: parsed?.warnings ?? [], required: requiredAt(sentMs - CONSUME_MARGIN_MS), body });
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();
  const stop = () => {
    querying = false;
    return loop;
  };
  t.after(stop);
  return { answers, stop };
}
