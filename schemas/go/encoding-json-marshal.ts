/**
 * Go's encoding/json Marshal escaping (src/encoding/json/encode.go, HTML-safe by default): `<`,
 * `>` and `&` become `\u003c`, `\u003e`, `\u0026`, and U+2028, U+2029 `\u2028`, `\u2029`, so
 * Fjord's JSON is byte-for-byte what Loki's ruler writes (queries hold `>`). Pure.
 */

/** JSON.stringify with Go's escapes. */
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
