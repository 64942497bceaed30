/**
 * Values inside Loki's templates and how Go prints and compares them: strings, ints, floats,
 * booleans, times, nil, and JSON values from `fromJson`. Pure.
 */
import { formatGoFloatV } from '../../../schemas/go/index.js';
import { formatGoTime } from './go-time.js';

/** A Go time.Time: nanoseconds since the epoch plus the zone it is shown in. */
export interface GoTime {
  readonly kind: 'time';
  readonly ns: bigint;
  readonly offsetSec: number;
  readonly zone: string;
}

/** A Go int (kept apart from floats because Go prints and divides them differently). */
export interface GoInt {
  readonly kind: 'int';
  readonly value: number;
}

/** A value a template expression can produce. */
export type TValue = string | number | boolean | null | GoInt | GoTime | readonly TValue[] | { readonly [k: string]: TValue };

/** Error raised while executing a template (becomes `__error_details__`). */
export class TemplateExecError extends Error {}

/** Make a Go int. */
export function goInt(n: number): GoInt {
  return { kind: 'int', value: Math.trunc(n) };
}

/** True when `v` is a Go int. */
export function isInt(v: TValue): v is GoInt {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: string }).kind === 'int';
}

/** True when `v` is a Go time. */
export function isTime(v: TValue): v is GoTime {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: string }).kind === 'time';
}

/** The number inside an int or float, or null. */
export function numberOf(v: TValue): number | null {
  if (typeof v === 'number') return v;
  if (isInt(v)) return v.value;
  return null;
}

/** Go's fmt.Sprint of a template value (what `{{ … }}` writes). */
export function printValue(v: TValue): string {
  if (v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloatV(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isInt(v)) return String(v.value);
  if (isTime(v)) return formatGoTime(v, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  const obj = v as { readonly [k: string]: TValue };
  return `map[${Object.keys(obj).sort().map((k) => `${k}:${printValue(obj[k] as TValue)}`).join(' ')}]`;
}

/** Go template truthiness (`if`, `and`, `or`, `not`). */
export function isTrue(v: TValue): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (isInt(v)) return v.value !== 0;
  if (isTime(v)) return true;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** Go's type name for error messages. */
export function typeName(v: TValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (isTime(v)) return 'time.Time';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
