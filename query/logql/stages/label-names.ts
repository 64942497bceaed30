/**
 * Label name rules shared by the parsers: Loki's sanitizeLabelKey (trim, `_` before a leading
 * digit, every other character outside `[A-Za-z0-9_]` replaced by `_`). Pure.
 */

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Loki's sanitizeLabelKey(key, isPrefix). */
export function sanitizeLabelKey(key: string, isPrefix: boolean): string {
  if (SIMPLE_KEY.test(key)) return key;
  const t = key.trim();
  if (t === '') return '';
  let out = isPrefix && t.charCodeAt(0) >= 0x30 && t.charCodeAt(0) <= 0x39 ? '_' : '';
  for (const ch of t) out += /^[A-Za-z0-9_]$/.test(ch) ? ch : '_';
  return out;
}
