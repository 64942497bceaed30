/**
 * How a rule's expression is run. Locally (`ruler.evaluation.mode: local`, Loki's default): an
 * instant metric query through the process's QueryBackend. Remotely: sent to a query frontend as
 * Loki's remote evaluator sends it (`L:pkg/ruler/evaluator_remote.go`): `POST /loki/api/v1/query`
 * with form `query`, `direction=forward`, `time` (RFC 3339), the tenant in X-Scope-OrgID, bounded
 * by `ruler_remote_evaluation_timeout` (or `query_timeout`) and
 * `ruler_remote_evaluation_max_response_size`; Loki's error texts. And Loki's evaluation jitter,
 * which applies to both modes.
 */
import { fnv1a_32 } from '../../schemas/wire/index.js';
import { formatRfc3339Nano } from '../../schemas/go/index.js';
import type { Limits } from '../../schemas/config/index.js';
import type { Labels } from '../../schemas/labels/index.js';
import { isLogExpr, type VectorSample } from '../logql/index.js';
import { isPartialIngesterWarning, refusePartialAnswer, type QueryBackend } from '../engine/query-backend.js';
import type { RuleQuery } from './group-runner.js';
import { withDeadline } from '../../platform/index.js';
import type { RulerMetrics } from './metrics.js';

/** Loki's error for a rule whose query yields streams or a matrix. */
export const ERR_NOT_VECTOR = 'rule result is not a vector or scalar';

/** The frontend's base URL from `evaluation.query_frontend.address`. */
export function frontendBaseUrl(address: string): string {
  return /^https?:\/\//.test(address) ? address.replace(/\/+$/, '') : `http://${address}`;
}

interface QueryAnswer {
  status?: string;
  warnings?: unknown;
  data?: { resultType?: string; result?: unknown };
}

function labelsOf(metric: Record<string, string>): Labels {
  return Object.keys(metric).sort().map((name) => ({ name, value: metric[name] as string }));
}

/** The vector of a Loki instant query answer; throws Error with Loki's texts, or the warning of a partial answer (a rule needs every partition). */
export function answerVector(text: string, tsMs: number): VectorSample[] {
  let body: QueryAnswer;
  try {
    body = JSON.parse(text) as QueryAnswer;
  } catch (err) {
    throw new Error(`unexpected body encoding, not valid JSON: ${(err as Error).message}, body: ${text.slice(0, 1024)}`);
  }
  if (body.status !== 'success') throw new Error(`query response error: status ${JSON.stringify(body.status ?? '')}, body: ${text.slice(0, 1024)}`);
  const partial = Array.isArray(body.warnings) ? body.warnings.find((w): w is string => typeof w === 'string' && isPartialIngesterWarning(w)) : undefined;
  if (partial !== undefined) throw new Error(partial);
  const { resultType, result } = body.data ?? {};
  if (resultType === 'vector') {
    return (result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => ({
      metric: labelsOf(s.metric), tsMs: Math.round(s.value[0] * 1000), value: Number(s.value[1]),
    }));
  }
  if (resultType === 'scalar') return [{ metric: [], tsMs, value: Number((result as [number, string])[1]) }];
  throw new Error(ERR_NOT_VECTOR);
}

/** The rule query of local evaluation: an instant metric query at the evaluation time, bounded by the tenant's query_timeout. */
export function localRuleQuery(backend: QueryBackend, queryTimeoutMs: (tenant: string) => number): RuleQuery {
  return async (tenant, expr, query, tsMs, signal) => {
    if (isLogExpr(expr)) throw new Error(ERR_NOT_VECTOR);
    const ts = BigInt(tsMs) * 1_000_000n;
    const res = await withDeadline(signal, queryTimeoutMs(tenant), (bounded) =>
      backend.metricQuery({ tenants: [tenant], query, expr, startNs: ts, endNs: ts, stepNs: 0n }, bounded));
    refusePartialAnswer(res.warnings);
    if (res.result.resultType === 'vector') return res.result.result;
    if (res.result.resultType === 'scalar') return [{ metric: [], tsMs, value: res.result.result.value }];
    throw new Error(ERR_NOT_VECTOR);
  };
}

/** Remote evaluation through the query frontend at `address`. */
export function remoteRuleQuery(address: string, limits: Limits, userAgent: string, metrics: RulerMetrics): RuleQuery {
  const url = `${frontendBaseUrl(address)}/loki/api/v1/query`;
  return async (tenant, _expr, query, tsMs, signal) => {
    const l = limits.forTenant(tenant);
    const timeout = l.ruler_remote_evaluation_timeout > 0 ? l.ruler_remote_evaluation_timeout : l.query_timeout;
    const body = new URLSearchParams({ query, direction: 'forward', time: formatRfc3339Nano(tsMs) }).toString();
    const t0 = performance.now();
    let res: Response;
    let text: string;
    try {
      [res, text] = await withDeadline(signal, timeout, async (bounded) => {
        const answer = await fetch(url, {
          method: 'POST', body, signal: bounded,
          headers: { 'User-Agent': userAgent, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Scope-OrgID': tenant },
        });
        return [answer, await answer.text()] as const;
      });
    } catch (err) {
      metrics.remoteEvalFailures.inc({ reason: 'error', user: tenant });
      throw err;
    } finally {
      metrics.remoteEvalDuration.observe({ user: tenant }, (performance.now() - t0) / 1000);
    }
    metrics.remoteEvalResponseBytes.observe({ user: tenant }, Buffer.byteLength(text));
    if (res.status < 200 || res.status > 299) {
      metrics.remoteEvalFailures.inc({ reason: 'upstream_error', user: tenant });
      throw new Error(`unsuccessful/unexpected response - status code ${res.status}`);
    }
    const max = l.ruler_remote_evaluation_max_response_size;
    const size = Buffer.byteLength(text);
    if (max > 0 && size >= max) {
      metrics.remoteEvalFailures.inc({ reason: 'max_size', user: tenant });
      throw new Error(`${size} bytes exceeds response size limit of ${max} (defined by ruler_remote_evaluation_max_response_size)`);
    }
    metrics.remoteEvalSuccesses.inc({ user: tenant });
    const vector = answerVector(text, tsMs);
    metrics.remoteEvalResponseSamples.observe({ user: tenant }, vector.length);
    return vector;
  };
}

/** Loki's consistent jitter: a share of `maxJitterMs` from the FNV-1a of the query text. */
export function jitterMs(query: string, maxJitterMs: number): number {
  return maxJitterMs > 0 ? (fnv1a_32(query) / 0xffffffff) * maxJitterMs : 0;
}

/** Delay every query by its jitter before running it. */
export function withJitter(inner: RuleQuery, maxJitterMs: number): RuleQuery {
  if (maxJitterMs <= 0) return inner;
  return async (tenant, expr, query, tsMs, signal) => {
    const wait = jitterMs(query, maxJitterMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    return inner(tenant, expr, query, tsMs, signal);
  };
}
