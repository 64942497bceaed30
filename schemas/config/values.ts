/**
 * Parsing of config values in Loki's forms: durations (`30m`, `1h30m`, `500ms`, `7d`, `1w`) and
 * byte sizes (`1572864`, `1536KB`, `1.5MB`, `4GiB`; KB/MB/GB are 1024-based as in Loki's
 * flagext.ByteSize). Pure.
 */

/** A duration in milliseconds. */
export type DurationMs = number;

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/y;

/** Parse a Go/Prometheus duration (`0`, `90s`, `1h30m`, `-5m`); null when it is not one. */
export function parseDuration(text: string): DurationMs | null {
  const s = text.trim();
  if (s === '0') return 0;
  let i = 0;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    i = 1;
  }
  if (i >= s.length) return null;
  let total = 0;
  while (i < s.length) {
    DURATION_PART.lastIndex = i;
    const m = DURATION_PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * (DURATION_UNITS_MS[m[2] as string] as number);
    i = DURATION_PART.lastIndex;
  }
  return sign * total;
}

/** Print a duration the way Loki's config does (`1h30m0s` becomes `1h30m`, 0 is `0s`). */
export function formatDuration(ms: DurationMs): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  if (rest > 0) out += `${Number(rest.toFixed(3))}ms`;
  return sign + out;
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};
const BYTES = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/;

/** Parse a byte size (`262144`, `256KB`, `1.5MB`); null when it is not one. */
export function parseBytes(text: string): number | null {
  const m = BYTES.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] as string).toLowerCase();
  const mult = unit === '' ? 1 : BYTE_UNITS[unit];
  if (mult === undefined) return null;
  return Math.round(Number(m[1]) * mult);
}

/** Print a byte size with the largest exact 1024-based unit (`1572864` becomes `1536KB`). */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}
