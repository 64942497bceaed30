/**
 * Label name normalisation as Loki applies it to structured metadata and OTLP attributes
 * (Prometheus' otlptranslator LabelNamer, default settings): every run of characters outside
 * [a-zA-Z0-9] becomes one `_`; a leading digit gets `key_`; `__x__` keeps its underscores. Pure.
 */
import { FjordError } from '../errors.js';

function sanitize(name: string): string {
  let out = '';
  let prevUnderscore = false;
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    const ok = ch.length === 1 && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57));
    if (ok) {
      out += ch;
      prevUnderscore = false;
    } else if (!prevUnderscore) {
      out += '_';
      prevUnderscore = true;
    }
  }
  return out;
}

/** The normalised form of a label name; throws FjordError('invalid_labels') when nothing but underscores remains. */
export function normalizeLabelName(name: string): string {
  if (name === '') throw new FjordError('invalid_labels', 'label name is empty');
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  let out = reserved ? `__${sanitize(name.slice(2, -2))}__` : sanitize(name);
  const first = out.charCodeAt(0);
  if (first >= 48 && first <= 57) out = `key_${out}`;
  if (/^_+$/.test(out)) throw new FjordError('invalid_labels', `normalization for label name "${name}" resulted in invalid name "${out}"`);
  return out;
}

/** True when `name` is already in normalised form (the common case, checked without allocating). */
export function isNormalizedLabelName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(name) || /^__[A-Za-z0-9]+(_[A-Za-z0-9]+)*__$/.test(name);
}
