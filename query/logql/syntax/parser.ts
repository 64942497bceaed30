/**
 * The LogQL parser: runs the LALR tables the way goyacc's generated parser does (a lookahead is
 * read only when the state needs one; the first error wins) and reports errors in Loki's words:
 * `parse error at line L, col C: syntax error: unexpected X, expecting Y or Z`. Then validates the
 * tree as Loki's ParseExpr does. Throws only FjordError('bad_request'). Pure.
 */
import { FjordError } from '../../../schemas/index.js';
import type { Expr, LogSelectorExpr, Matcher } from '../ast.js';
import { compileMatcher } from '../matchers.js';
import { logqlGrammar } from './grammar.js';
import { ACCEPT, type StateTable } from './lalr.js';
import { Lexer, type PositionedError, type Token } from './lexer.js';
import { ImmediateParseError, type ExprNode, type SampleNode } from './nodes.js';
import { tokenDisplayName } from './tokens.js';

const MAX_INPUT_SIZE = 131072;
const TOKSTART = 4;

/** Loki's errAtleastOneEqualityMatcherRequired. */
export const ERR_MATCHER_REQUIRED =
  'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will';

/** Loki's ParseError text. */
export function parseErrorText(msg: string, line: number, col: number): string {
  return line === 0 && col === 0 ? `parse error : ${msg}` : `parse error at line ${line}, col ${col}: ${msg}`;
}

function fail(e: PositionedError): never {
  throw new FjordError('bad_request', parseErrorText(e.msg, e.line, e.col));
}

/** goyacc's syntaxErrorMessage: the unexpected token, and up to four expected ones. */
function syntaxErrorMessage(state: StateTable, lookahead: number): string {
  const res = `syntax error: unexpected ${tokenDisplayName(lookahead)}`;
  const expected: number[] = [];
  for (const tok of [...state.shifts.keys()].sort((a, b) => a - b)) {
    if (tok < TOKSTART) continue;
    if (expected.length === 4) return res;
    expected.push(tok);
  }
  if (state.hasExceptions) {
    for (const [tok, action] of [...state.exceptions.entries()].sort((a, b) => a[0] - b[0])) {
      if (tok < TOKSTART || action === 0) continue;
      if (expected.length === 4) return res;
      expected.push(tok);
    }
    if (state.defaultRule !== 0) return res;
  }
  return expected.length === 0 ? res : `${res}, expecting ${expected.map(tokenDisplayName).join(' or ')}`;
}

/** Parse without validation (Loki's ParseExprWithoutValidation). */
function parseTree(input: string): ExprNode {
  const byteLength = Buffer.byteLength(input, 'utf8');
  if (byteLength >= MAX_INPUT_SIZE) fail({ msg: `input size too long (${byteLength} > ${MAX_INPUT_SIZE})`, line: 0, col: 0 });
  const { tables, actions } = logqlGrammar();
  const lexer = new Lexer(input);
  const states: number[] = [0];
  const values: unknown[] = [];
  let look: Token | null = null;
  const read = (): Token => {
    look ??= lexer.lex();
    return look;
  };
  for (;;) {
    const state = tables.states[states[states.length - 1] as number] as StateTable;
    if (state.shifts.size > 0) {
      const t = read();
      const next = state.shifts.get(t.tok);
      if (next !== undefined) {
        states.push(next);
        values.push(t);
        look = null;
        continue;
      }
    }
    let ruleNo = state.defaultRule;
    if (state.hasExceptions) {
      const ex = state.exceptions.get(read().tok);
      if (ex === ACCEPT) break;
      if (ex !== undefined) ruleNo = ex;
    }
    if (ruleNo === 0) {
      const t = read();
      const first = lexer.errors[0];
      if (first !== undefined) fail(first);
      fail({ msg: syntaxErrorMessage(state, t.tok), line: t.line, col: t.col });
    }
    const len = tables.ruleLength[ruleNo] as number;
    const args = values.splice(values.length - len, len);
    states.length -= len;
    let value: unknown;
    try {
      value = (actions[ruleNo] as (v: readonly unknown[]) => unknown)(args);
    } catch (err) {
      if (err instanceof ImmediateParseError) fail({ msg: err.message, line: 0, col: 0 });
      throw err;
    }
    const top = tables.states[states[states.length - 1] as number] as StateTable;
    states.push(top.gotos.get(tables.ruleLhs[ruleNo] as number) as number);
    values.push(value);
  }
  const first = lexer.errors[0];
  if (first !== undefined) fail(first);
  return values[0] as ExprNode;
}

function validateMatchers(matchers: readonly Matcher[]): void {
  const selective = matchers.some((m) => !compileMatcher(m).matches(''));
  if (!selective) fail({ msg: ERR_MATCHER_REQUIRED, line: 0, col: 0 });
}

function validateSample(e: SampleNode): void {
  switch (e.kind) {
    case 'invalid': return fail({ msg: e.error, line: 0, col: 0 });
    case 'binary':
      validateSample(e.lhs);
      validateSample(e.rhs);
      return;
    case 'literal':
    case 'vector':
      return;
    case 'vectorAggregation':
      if ((e.op === 'sort' || e.op === 'sort_desc') && e.grouping.labels.length > 0) {
        fail({ msg: "sort and sort_desc doesn't allow grouping by ", line: 0, col: 0 });
      }
      validateSample(e.inner);
      return;
    case 'labelReplace':
      validateSample(e.inner);
      return;
    case 'rangeAggregation':
      validateMatchers(e.range.selector.matchers);
      return;
  }
}

/**
 * Parse a LogQL query into its syntax tree, as Loki's syntax.ParseExpr (validation included).
 * Throws FjordError('bad_request', 'parse error at line L, col C: …') for any malformed query.
 */
export function parseExpr(query: string): Expr {
  const tree = parseWithoutValidation(query);
  if (tree.kind === 'logSelector') validateMatchers((tree as LogSelectorExpr).matchers);
  else validateSample(tree);
  return tree as Expr;
}

/** Loki's ParseExprWithoutValidation: the tree, invalid nodes kept and matchers unchecked. */
function parseWithoutValidation(query: string): ExprNode {
  try {
    return parseTree(query);
  } catch (err) {
    if (err instanceof FjordError) throw err;
    throw new FjordError('bad_request', parseErrorText(err instanceof Error ? err.message : String(err), 0, 0), { cause: err });
  }
}

/**
 * Loki's ParseExprWithoutValidation as syntax.ParseMatchers(query, false) uses it: the stream
 * selector when `query` is one (`{app=~".*"}` allowed: no matcher need exclude the empty value),
 * null when it parses to anything else. Throws FjordError('bad_request') for a malformed query.
 */
export function parseLogSelectorWithoutValidation(query: string): LogSelectorExpr | null {
  const tree = parseWithoutValidation(query);
  return tree.kind === 'logSelector' ? (tree as LogSelectorExpr) : null;
}
