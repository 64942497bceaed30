/**
 * LogQL's grammar assembled in Loki's syntax.y order with its operator precedence, and its parse
 * tables, built once on first use. Pure.
 */
import { buildTables, type ParseTables, type TokenPrecedence } from './lalr.js';
import type { RuleAction } from './grammar-rule.js';
import { LOG_RULES } from './rules-log.js';
import { METRIC_HEAD_RULES } from './rules-metric-head.js';
import { METRIC_TAIL_RULES } from './rules-metric-tail.js';
import { TERMINAL_COUNT, TOK, type TokenName } from './tokens.js';

/** The compiled grammar: tables plus the action of each rule (index 0 is `$accept`). */
export interface CompiledGrammar {
  readonly tables: ParseTables;
  readonly actions: readonly RuleAction[];
}

const PRECEDENCE: readonly (readonly [TokenPrecedence['assoc'], readonly TokenName[]])[] = [
  ['left', ['OR']],
  ['left', ['AND', 'UNLESS']],
  ['left', ['CMP_EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE']],
  ['left', ['ADD', 'SUB']],
  ['left', ['MUL', 'DIV', 'MOD']],
  ['right', ['POW']],
];

let compiled: CompiledGrammar | null = null;

/** The LogQL grammar's tables (built on first call, then cached). */
export function logqlGrammar(): CompiledGrammar {
  if (compiled !== null) return compiled;
  const rules = [...METRIC_HEAD_RULES, ...LOG_RULES, ...METRIC_TAIL_RULES];
  const nonterminals = new Map<string, number>();
  for (const r of rules) if (!nonterminals.has(r.lhs)) nonterminals.set(r.lhs, TERMINAL_COUNT + 1 + nonterminals.size);
  const symbol = (name: string): number => {
    const t = (TOK as Record<string, number>)[name];
    if (t !== undefined) return t;
    const nt = nonterminals.get(name);
    if (nt === undefined) throw new Error(`grammar: unknown symbol ${name}`);
    return nt;
  };
  const precedence = new Map<number, TokenPrecedence>();
  PRECEDENCE.forEach(([assoc, names], i) => {
    for (const n of names) precedence.set(TOK[n], { level: i + 1, assoc });
  });
  const tables = buildTables({
    terminalCount: TERMINAL_COUNT,
    nonterminalCount: nonterminals.size,
    start: symbol('root'),
    rules: rules.map((r) => ({ lhs: symbol(r.lhs), rhs: r.rhs.map(symbol) })),
    precedence,
  });
  compiled = { tables, actions: [(v) => v[0], ...rules.map((r) => r.action)] };
  return compiled;
}
