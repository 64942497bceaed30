/**
 * Loki's sanitizeLabelKey and appendSanitized (pkg/logql/log/util.go), how `| json`, `| logfmt` and
 * `| unpack` turn keys into label names: trimmed, `_` before a leading digit (for a first key or
 * prefix part), and every character outside `[A-Za-z0-9_]` replaced by one `_` per character.
 * Not the OTLP and structured-metadata rule (runs collapsed, `key_` prefix): that is
 * otlptranslator-label-namer.ts. Pure.
 */

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_CHAR = /^[A-Za-z0-9_]$/;

/** Loki's sanitizeLabelKey(key, isPrefix): `cou-nter` → `cou_nter`, `1a` → `_1a` when `isPrefix`; `''` when only spaces. */
export function sanitizeLabelKey(key: string, isPrefix: boolean): string {
  if (SIMPLE_KEY.test(key)) return key;
  const t = key.trim();
  if (t === '') return '';
  let out = isPrefix && t.charCodeAt(0) >= 0x30 && t.charCodeAt(0) <= 0x39 ? '_' : '';
  for (const ch of t) out += LABEL_CHAR.test(ch) ? ch : '_';
  return out;
}

/**
 * Loki's appendSanitized: `to` with the sanitised `part` appended (trimmed; `_` before a leading
 * digit only when `to` is empty); `to` unchanged when `part` is only spaces.
 */
export function appendSanitized(to: string, part: string): string {
  const t = part.trim();
  if (t === '') return to;
  let out = to === '' && t.charCodeAt(0) >= 0x30 && t.charCodeAt(0) <= 0x39 ? '_' : '';
  for (const ch of t) out += LABEL_CHAR.test(ch) ? ch : '_';
  return to + out;
}
