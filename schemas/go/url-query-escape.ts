/**
 * Go's url.QueryEscape (src/net/url/url.go, encodeQueryComponent): every byte of the UTF-8 text but
 * `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case hex), a space as `+` — how Loki builds an alert's
 * generator URL. Pure.
 */

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** url.QueryEscape of `s`. */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (UNRESERVED.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
