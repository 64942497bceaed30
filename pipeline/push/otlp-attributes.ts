/**
 * How an OTLP attribute becomes label pairs in Loki (`pkg/loghttp/push/otlplabels` AttributeToLabels):
 * the name built by Prometheus' otlptranslator `LabelNamer` (schemas/go), map values flattened into
 * `parent_child` names, and every other value printed as the collector's pdata `Value.AsString()`
 * prints it. Pure.
 */
import { Buffer } from 'node:buffer';
import { FjordError } from '../../schemas/errors.js';
import { buildLabelName } from '../../schemas/go/index.js';
import type { Label } from '../../schemas/labels/index.js';
import type { AnyValue, KeyValue } from './otlp-model.js';

/** pdata's float64AsString: ES6 number text, with NaN, Infinity, -Infinity and -0 as Go prints them. */
export function formatDouble(f: number): string {
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

/** Go's encoding/json string (no HTML escaping, as pdata asks): JSON.stringify plus \u2028 and \u2029. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Go's encoding/json of a value's AsRaw(); null when it cannot be encoded (NaN or ±Inf inside). */
function goJson(v: AnyValue): string | null {
  switch (v.kind) {
    case 'empty':
      return 'null';
    case 'string':
      return goJsonString(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
      return v.value.toString();
    case 'double':
      return Number.isFinite(v.value) ? formatDouble(v.value) : null;
    case 'bytes':
      return goJsonString(base64(v.value));
    case 'array': {
      const parts: string[] = [];
      for (const x of v.values) {
        const p = goJson(x);
        if (p === null) return null;
        parts.push(p);
      }
      return '[' + parts.join(',') + ']';
    }
    case 'kvlist': {
      // A Go map: the last duplicate key wins, keys are written in sorted (byte) order.
      const map = new Map<string, AnyValue>();
      for (const kv of v.values) map.set(kv.key, kv.value);
      const keys = [...map.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const parts: string[] = [];
      for (const k of keys) {
        const p = goJson(map.get(k) as AnyValue);
        if (p === null) return null;
        parts.push(goJsonString(k) + ':' + p);
      }
      return '{' + parts.join(',') + '}';
    }
  }
}

/**
 * pdata's `Value.AsString()`: strings as they are, ints and bools as text, doubles as ES6 numbers,
 * bytes as base64, maps and arrays as JSON (map keys sorted; "" when a NaN or ±Inf is inside, as
 * Go's encoder then fails), and "" for an empty value.
 */
export function anyValueText(v: AnyValue): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'string':
      return v.value;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
      return v.value.toString();
    case 'double':
      return formatDouble(v.value);
    case 'bytes':
      return base64(v.value);
    case 'array':
    case 'kvlist':
      return goJson(v) ?? '';
  }
}

/**
 * Loki's AttributeToLabels: the label pairs one attribute becomes (a map attribute yields one pair
 * per leaf, named `parent_child`). Throws FjordError('bad_request') with Loki's `symbolizer lookup:`
 * message when a name cannot be normalised.
 */
export function attributeToLabels(kv: KeyValue, prefix = ''): Label[] {
  const name = buildLabelName(prefix === '' ? kv.key : `${prefix}_${kv.key}`);
  if (typeof name !== 'string') throw new FjordError('bad_request', `symbolizer lookup: ${name.error}`);
  if (kv.value.kind !== 'kvlist') return [{ name, value: anyValueText(kv.value) }];
  // Nested names start with a valid parent name, so they always normalise (Loki's extra wrapping
  // of nested errors is unreachable).
  const out: Label[] = [];
  for (const child of kv.value.values) out.push(...attributeToLabels(child, name));
  return out;
}
