/**
 * A loop of `sum(count_over_time({run="…"}[10m]))` queries every 250 ms while a fault happens,
 * each answer kept with the lines acknowledged CONSUME_MARGIN_MS before it was sent (ingesters
 * consume a moment after the acknowledgement): a 200 below that count missed acknowledged lines.
 */
import type { TestContext } from 'node:test';

const CONSUME_MARGIN_MS = 1500;
const EVERY_MS = 250;

/** One query of the loop. */
export interface CountAnswer {
  readonly sentMs: number;
  readonly status: number;
  /** The answered count, -1 when not 200. */
  readonly count: number;
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

/** Start querying `url` for `run`'s line count as `tenant`; `ackedLines` reads the pusher's acknowledged count. */
export function startCountAnswers(t: TestContext, url: string, tenant: string, run: string, ackedLines: () => number, timeoutMs: number): CountAnswerLoop {
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
      const q = new URLSearchParams({ query: `sum(count_over_time({run="${run}"}[10m]))`, time: String(BigInt(sentMs + 1000) * 1_000_000n) });
      const res = await fetch(`${url}/loki/api/v1/query?${q}`, { headers: { 'x-scope-orgid': tenant }, signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      const count = res.status === 200 ? Number((JSON.parse(body) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1] ?? 0) : -1;
      answers.push({ sentMs, status: res.status, count, required: requiredAt(sentMs - CONSUME_MARGIN_MS), body });
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
