/**
 * Go's time.Parse(time.RFC3339Nano, s) as Unix nanoseconds: the form of Loki's query times and of
 * the legacy push body's `ts`. Pure.
 */

const SECOND_NS = 1_000_000_000n;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Go's time.Parse(time.RFC3339Nano, s) as Unix nanoseconds, or null when `s` is not one. */
export function parseRfc3339Nano(s: string): bigint | null {
  const m = RFC3339.exec(s);
  if (m === null) return null;
  const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(sec);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, 0);
  let offsetS = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return null;
    offsetS = sign * (zh * 3600 + zm * 60);
  }
  const seconds = BigInt(utc.getTime() / 1000 - offsetS);
  return seconds * SECOND_NS + BigInt(frac.padEnd(9, '0') || '0');
}
