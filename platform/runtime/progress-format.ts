/** Numbers for progress lines on a terminal: elapsed time, rates, estimated time left. Pure. */

/** `850ms`, `12.3s`, `4m05s`, `2h03m`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Items per second over `elapsedMs`, as `1234/s` or `1.2k/s`; `-` before any time passed. */
export function formatRate(items: number, elapsedMs: number): string {
  if (elapsedMs <= 0) return '-';
  const r = (items * 1000) / elapsedMs;
  if (r >= 10_000) return `${(r / 1000).toFixed(1)}k/s`;
  return `${Math.round(r)}/s`;
}

/** Estimated time left for `total` items when `done` took `elapsedMs`; null when it cannot be told yet. */
export function etaMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0 || total <= done) return total <= done ? 0 : null;
  return ((total - done) * elapsedMs) / done;
}
