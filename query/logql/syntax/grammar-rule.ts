/**
 * How grammar rules are written: a left-hand side, the right-hand side as space-separated symbol
 * names (terminals in upper case as in Loki's syntax.y), and the action building the value. Pure.
 */
import type { Token } from './lexer.js';

/** A rule's action: receives the values of the right-hand side symbols (tokens for terminals). */
export type RuleAction = (values: readonly unknown[]) => unknown;

/** One grammar rule. */
export interface RuleDef {
  readonly lhs: string;
  readonly rhs: readonly string[];
  readonly action: RuleAction;
}

/** Write a rule: `rule('matchers', 'matchers COMMA matcher', (v) => …)`. */
export function rule(lhs: string, rhs: string, action: RuleAction = (v) => v[0]): RuleDef {
  return { lhs, rhs: rhs.trim() === '' ? [] : rhs.trim().split(/\s+/), action };
}

/** The string value of a terminal (IDENTIFIER, STRING, NUMBER, FUNCTION_FLAG). */
export function str(v: unknown): string {
  return (v as Token).str;
}

/** The duration value of a DURATION or RANGE terminal, in nanoseconds. */
export function dur(v: unknown): bigint {
  return (v as Token).durNs;
}

/** The byte count of a BYTES terminal. */
export function bytesOf(v: unknown): number {
  return (v as Token).bytes;
}

/** A value of a known type (grammar values are untyped at the table level). */
export function as<T>(v: unknown): T {
  return v as T;
}
