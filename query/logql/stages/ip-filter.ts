/**
 * Loki's `ip("…")` matching (pkg/logql/log/ip.go): a pattern is one address, a CIDR prefix or a
 * `from-to` range; a line matches when an IPv4/IPv6 token found in it (by Loki's hints and
 * character sets) falls in the pattern. Pure.
 */

/** A parsed address: family and numeric value. */
interface Addr {
  readonly v6: boolean;
  readonly n: bigint;
}

/** A compiled ip() pattern. */
export interface IpPattern {
  readonly family: 'v4' | 'v6';
  readonly lo: bigint;
  readonly hi: bigint;
}

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s0: string): bigint | null {
  let s = s0;
  if (s.includes('.')) {
    const idx = s.lastIndexOf(':');
    const v4 = parseV4(s.slice(idx + 1));
    if (v4 === null) return null;
    s = `${s.slice(0, idx + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (h: string): bigint[] | null => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = parseGroups(halves[0] as string);
  const rest = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === null || rest === null) return null;
  const groups = [...head];
  const total = head.length + rest.length;
  if (halves.length === 2) {
    if (total > 7) return null;
    for (let i = 0; i < 8 - total; i++) groups.push(0n);
  } else if (total !== 8) return null;
  groups.push(...rest);
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseAddr(s: string): Addr | null {
  if (s.includes(':')) {
    const n = parseV6(s);
    return n === null ? null : { v6: true, n };
  }
  const n = parseV4(s);
  return n === null ? null : { v6: false, n };
}

/** Compile an ip() pattern; returns Loki's error text when invalid. */
export function compileIpPattern(pattern: string): { ok: true; ip: IpPattern } | { ok: false; error: string } {
  const invalid = { ok: false as const, error: `ip: invalid pattern: ${JSON.stringify(pattern)}` };
  const single = parseAddr(pattern);
  if (single !== null) return { ok: true, ip: { family: single.v6 ? 'v6' : 'v4', lo: single.n, hi: single.n } };
  const slash = pattern.indexOf('/');
  if (slash > 0) {
    const a = parseAddr(pattern.slice(0, slash));
    const bitsText = pattern.slice(slash + 1);
    if (a === null || !/^\d{1,3}$/.test(bitsText)) return invalid;
    const width = a.v6 ? 128n : 32n;
    const bits = BigInt(bitsText);
    if (bits > width) return invalid;
    const hostMask = (1n << (width - bits)) - 1n;
    return { ok: true, ip: { family: a.v6 ? 'v6' : 'v4', lo: a.n & ~hostMask, hi: (a.n & ~hostMask) | hostMask } };
  }
  const dash = pattern.indexOf('-');
  if (dash > 0) {
    const a = parseAddr(pattern.slice(0, dash));
    const b = parseAddr(pattern.slice(dash + 1));
    if (a === null || b === null || a.v6 !== b.v6 || a.n > b.n) return invalid;
    return { ok: true, ip: { family: a.v6 ? 'v6' : 'v4', lo: a.n, hi: b.n } };
  }
  return invalid;
}

const V4_CHARS = /^[0-9.]$/;
const V6_CHARS = /^[0-9a-fA-F:.]$/;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

function contains(ip: IpPattern, token: string): boolean {
  const a = parseAddr(token);
  if (a === null || a.v6 !== (ip.family === 'v6')) return false;
  return a.n >= ip.lo && a.n <= ip.hi;
}

/** True when some IP address in `text` falls in the pattern (Loki's ipFilter.filter). */
export function textHasIpIn(ip: IpPattern, text: string): boolean {
  const n = text.length;
  const span = (start: number, chars: RegExp): number => {
    let k = start;
    while (k < n && chars.test(text[k] as string)) k++;
    return k - start;
  };
  for (let i = 0; i < n; i++) {
    const c0 = text[i];
    if (i + 3 < n && isDigit(c0) && (text[i + 1] === '.' || text[i + 2] === '.' || text[i + 3] === '.')) {
      const len = span(i, V4_CHARS);
      if (contains(ip, text.slice(i, i + len))) return true;
      i += len;
      continue;
    }
    const [c1, c2, c3, c4] = [text[i + 1], text[i + 2], text[i + 3], text[i + 4]];
    const hint =
      (c0 === ':' && c1 === ':' && isHex(c2)) ||
      (isHex(c0) && c1 === ':') ||
      (isHex(c0) && isHex(c1) && c2 === ':') ||
      (isHex(c0) && isHex(c1) && isHex(c2) && c3 === ':') ||
      (isHex(c0) && isHex(c1) && isHex(c2) && isHex(c3) && c4 === ':');
    if (hint) {
      const len = span(i, V6_CHARS);
      if (contains(ip, text.slice(i, i + len))) return true;
      i += len;
    }
  }
  return false;
}
