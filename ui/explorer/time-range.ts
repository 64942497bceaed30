/**
 * The explorer's time range: each end is relative (`now`, `now-15m`, `now-2d`) or absolute (an
 * ISO date, `2026-12-03 10:00:00` in local time, or epoch milliseconds). Both forms stay as the
 * user wrote them (in the URL too) and are resolved to milliseconds when a query runs.
 */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The presets of the picker, newest range first. */
export const RELATIVE_PRESETS: readonly { label: string; from: string }[] = [
  { label: 'Last 5 minutes', from: 'now-5m' },
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

/** Milliseconds since the epoch for one end of the range, or null when it does not parse. */
export function resolveTime(text: string, nowMs: number): number | null {
  const t = text.trim();
  const rel = /^now(?:\s*-\s*(\d+)\s*([smhdw]))?$/.exec(t);
  if (rel) return rel[1] === undefined ? nowMs : nowMs - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number);
  if (/^\d{10,}$/.test(t)) return Number(t);
  const ms = Date.parse(t.includes('T') || !/^\d{4}-\d\d-\d\d /.test(t) ? t : t.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : ms;
}

/** An absolute end as the picker shows it: local `YYYY-MM-DD HH:MM:SS`. */
export function formatAbsolute(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A step for `spanMs` giving about `buckets` points, rounded to a readable duration (ms). */
export function niceStepMs(spanMs: number, buckets = 100): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
  const want = spanMs / buckets;
  return steps.find((s) => s >= want) ?? Math.ceil(want / 86_400_000) * 86_400_000;
}

/** A step in Loki's duration syntax (`30s`, `5m`, `2h`). */
export function formatStep(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
