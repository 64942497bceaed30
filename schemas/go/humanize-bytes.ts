/**
 * dustin/go-humanize's ParseBytes and Bytes (bytes.go), as LogQL reads and prints byte sizes in
 * `| size > 20MB` filters and `bytes()` conversions: SI units are 1000-based (`kB`, `MB`) and IEC
 * units 1024-based (`KiB`, `MiB`), the unit case-insensitive, `B` optional, spaces and thousands
 * commas allowed; printing is SI with one decimal below 10 (`1.5 kB`, `83 MB`, `7 B`). Not the
 * config's byte sizes (1024-based `KB`): those are datasize-byte-size.ts. Pure.
 */
import type { GoParse } from './go-parse.js';

const SIZES: Readonly<Record<string, number>> = {
  b: 1,
  kib: 1024,
  kb: 1000,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
  pib: 1024 ** 5,
  pb: 1000 ** 5,
  eib: 1024 ** 6,
  eb: 1000 ** 6,
  '': 1,
  ki: 1024,
  k: 1000,
  mi: 1024 ** 2,
  m: 1000 ** 2,
  gi: 1024 ** 3,
  g: 1000 ** 3,
  ti: 1024 ** 4,
  t: 1000 ** 4,
  pi: 1024 ** 5,
  p: 1000 ** 5,
  ei: 1024 ** 6,
  e: 1000 ** 6,
};

const MAX_UINT64 = 18446744073709551615;

/** go-humanize ParseBytes: a byte count from `42 MB`, `42mib`, `1,000`; Go's error text otherwise. */
export function humanizeParseBytes(s: string): GoParse<number> {
  let end = 0;
  let hasComma = false;
  for (const ch of s) {
    if (!(/\p{Nd}/u.test(ch) || ch === '.' || ch === ',')) break;
    if (ch === ',') hasComma = true;
    end += ch.length;
  }
  let num = s.slice(0, end);
  if (hasComma) num = num.replace(/,/g, '');
  if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(num)) {
    return { ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax` };
  }
  const f = Number(num);
  const extra = s.slice(end).trim().toLowerCase();
  const mult = SIZES[extra];
  if (mult === undefined) return { ok: false, error: `unhandled size name: ${extra}` };
  const v = f * mult;
  if (v >= MAX_UINT64) return { ok: false, error: `too large: ${s}` };
  return { ok: true, value: Math.trunc(v) };
}

/** go-humanize Bytes (SI units): `83 MB`, `1.0 kB`, `7 B`. */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const suffix = sizes[e] ?? 'EB';
  const val = Math.floor((n / Math.pow(1000, e)) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${suffix}` : `${val.toFixed(0)} ${suffix}`;
}
