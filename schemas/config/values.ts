/**
 * Parsing of config values in Loki's forms: durations (`30m`, `1h30m`, `500ms`, `7d`, `1w`, read
 * by schemas/go's model.ParseDuration and time.ParseDuration) and byte sizes (`1572864`, `1536KB`,
 * `1.5MB`, `4GiB`; KB/MB/GB are 1024-based as in Loki's flagext.ByteSize). Pure.
 */
import { parseGoDuration, parsePromDuration } from '../go/index.js';

/** A duration in milliseconds. */
export type DurationMs = number;

/**
 * Parse a config duration: Prometheus' model.ParseDuration (`7d`, `1w2d`) or else Go's
 * time.ParseDuration (`1.5h`, `-5m`, `1500us`), as Loki's config fields are one or the other;
 * surrounding spaces ignored. Null when it is neither.
 */
export function parseDuration(text: string): DurationMs | null {
  const s = text.trim();
  const prom = parsePromDuration(s);
  const ns = prom.ok ? prom : parseGoDuration(s);
  return ns.ok ? Number(ns.value) / 1e6 : null;
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
