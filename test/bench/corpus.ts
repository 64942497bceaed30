/**
 * A deterministic corpus of realistic log lines for benchmarks: JSON application logs, logfmt
 * service logs and nginx-style access logs, mixed, with varying fields and lengths.
 */
import { seededRandom } from '../helpers/random.js';

const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];
const PATHS = ['/api/v1/orders', '/api/v1/users/42', '/healthz', '/static/app.js', '/api/v1/cart', '/login'];
const MSGS = ['request completed', 'cache miss', 'upstream timeout', 'retrying connection', 'user logged in', 'payment accepted'];
const SERVICES = ['checkout', 'cart', 'auth', 'frontend', 'inventory'];

/** `count` log lines starting at `tsMs`, one every `stepMs`. */
export function corpusLines(count: number, seed = 1): string[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const level = pick(LEVELS);
    const dur = (rand() * 2.5).toFixed(3);
    const id = Math.floor(rand() * 1e9).toString(16);
    if (kind === 0) {
      lines.push(JSON.stringify({ ts: `2024-05-01T12:${String(i % 60).padStart(2, '0')}:00Z`, level, msg: pick(MSGS), service: pick(SERVICES), trace_id: id, duration: `${dur}s`, status: pick([200, 200, 201, 404, 500]) }));
    } else if (kind === 1) {
      lines.push(`ts=2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z level=${level} caller=server.go:${Math.floor(rand() * 900)} msg="${pick(MSGS)}" duration=${dur}s trace_id=${id} user=${Math.floor(rand() * 5000)}`);
    } else {
      lines.push(`10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)} - - [01/May/2024:12:00:00 +0000] "GET ${pick(PATHS)} HTTP/1.1" ${pick([200, 200, 304, 404, 500])} ${Math.floor(rand() * 50_000)} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${dur}`);
    }
  }
  return lines;
}
