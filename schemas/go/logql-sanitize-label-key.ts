/**
 * Loki's sanitizeLabelKey and appendSanitized (pkg/logql/log/util.go), how `| json`, `| logfmt` and
 * `| unpack` turn keys into label names: trimmed, `_` before a leading digit (for a first key or
 * prefix part), and every character outside `[A-Za-z0-9_]` replaced by one `_` per character.
 * Not the OTLP and structured-metadata rule (runs collapsed, `key_` prefix): that is
 * otlptranslator-label-namer.ts. Pure.
 */

const LABEL_CHAR = /^[A-Za-z0-9_]$/;

/** True for a UTF-16 unit of [A-Za-z0-9_]. */
function isLabelCode(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** True when `key` is already a label name ([A-Za-z_][A-Za-z0-9_]*): sanitising it changes nothing. */
export function isSimpleLabelKey(key: string): boolean {
  const n = key.length;
  if (n === 0) return false;
  const c0 = key.charCodeAt(0);
  if (c0 >= 0x30 && c0 <= 0x39) return false;
  for (let i = 0; i < n; i++) if (!isLabelCode(key.charCodeAt(i))) return false;
  return true;
}

/** Loki's sanitizeLabelKey(key, isPrefix): `cou-nter` → `cou_nter`, `1a` → `_1a` when `isPrefix`; `''` when only spaces. */
export function sanitizeLabelKey(key: string, isPrefix: boolean): string {
  if (isSimpleLabelKey(key)) return key;
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
