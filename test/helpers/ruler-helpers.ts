/**
 * Shared steps of the ruler's end-to-end tests: a steady push of error lines, reading Fjord's
 * rules and alerts APIs, and posting a rule group the way lokitool does.
 */
import type { TestContext } from 'node:test';
import type { FjordChild } from './fjord-process.js';

/** Push `perPush` lines containing "error" to `{job="x", level="error"}` every `everyMs` until stopped. */
export function pushErrors(t: TestContext, f: () => FjordChild, tenant: string, opts: { perPush: number; everyMs: number }): { stop(): Promise<void>; failures(): number; sent(): number } {
  let stopped = false;
  let failed = 0;
  let sent = 0;
  let seq = 0;
  const loop = (async () => {
    while (!stopped) {
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const values = Array.from({ length: opts.perPush }, (_, i) => [String(nowNs + BigInt(i)), `level=error msg="request failed" error=timeout seq=${seq++}`]);
      try {
        const res = await fetch(`${f().url}/loki/api/v1/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
          body: JSON.stringify({ streams: [{ stream: { job: 'x', level: 'error' }, values }] }),
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        if (res.status === 204) sent += values.length;
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, opts.everyMs));
    }
  })();
  const stop = async () => {
    stopped = true;
    await loop;
  };
  t.after(stop);
  return { stop, failures: () => failed, sent: () => sent };
}

/** `GET /prometheus/api/v1/alerts` of `tenant`. */
export async function fjordAlerts(f: FjordChild, tenant: string): Promise<Array<{ labels: Record<string, string>; state: string; activeAt: string; value: string }>> {
  const res = await fetch(`${f.url}/prometheus/api/v1/alerts`, { headers: { 'x-scope-orgid': tenant } });
  const body = (await res.json()) as { data: { alerts: Array<{ labels: Record<string, string>; state: string; activeAt: string; value: string }> } };
  return body.data.alerts;
}

/** `GET /prometheus/api/v1/rules` of `tenant`. */
export async function fjordRules(f: FjordChild, tenant: string, query = ''): Promise<{ status: number; body: any }> {
  const res = await fetch(`${f.url}/prometheus/api/v1/rules${query}`, { headers: { 'x-scope-orgid': tenant } });
  return { status: res.status, body: await res.json() };
}

/** POST one group's YAML to a namespace as lokitool sends it: no Content-Type, X-Scope-OrgID only. */
export async function postGroup(f: FjordChild, tenant: string, namespace: string, yaml: string, base = '/loki/api/v1/rules'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${f.url}${base}/${encodeURIComponent(namespace)}`, {
    method: 'POST',
    headers: { 'x-scope-orgid': tenant },
    body: new TextEncoder().encode(yaml), // bytes: fetch adds no Content-Type, as lokitool sends none
  });
  return { status: res.status, text: await res.text() };
}
