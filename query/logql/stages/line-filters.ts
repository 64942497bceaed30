/**
 * Line filter stages (`|=`, `!=`, `|~`, `!~`, `|>`, `!>`, `ip()`, `or`), compiled once per query.
 * Literal filters test raw bytes with Buffer.indexOf so a line is decoded only if it survives;
 * regexes that Loki would simplify become literal or case-insensitive tests, others keep a
 * required-literal pre-check. Errors read like Loki's stage errors. Pure.
 */
import { FjordError } from '../../../schemas/index.js';
import type { LineFilterOp, LineFilterTerm, Stage } from '../ast.js';
import { printStage } from '../print.js';
import type { ReNode } from '../regex/re2-ast.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { compileIpPattern, textHasIpIn } from './ip-filter.js';
import { compileLineFilterPattern, testLineFilterPattern } from './pattern-expr.js';

/** A test over one line: on raw bytes when possible, else on the decoded text. */
export interface LineTest {
  /** Set when the test needs only bytes: a list of literals, any of which must occur. */
  readonly literals: readonly Buffer[] | null;
  /** Test on decoded text (always set). */
  testText(line: string): boolean;
}

/** A compiled line filter stage: `negate` flips the combined result of its alternatives. */
export interface CompiledLineFilter {
  readonly negate: boolean;
  readonly test: LineTest;
}

/** Loki's stage error text: `stage '<stage>' : <error>`; `named` is the stage as Loki prints it. */
export function stageError(stage: Stage, why: string, named: string = printStage(stage)): FjordError {
  return new FjordError('bad_request', `parse error : stage '${named}' : ${why}`);
}

function literalTest(needle: string): LineTest {
  const bytes = Buffer.from(needle, 'utf8');
  return { literals: [bytes], testText: (line) => line.includes(needle) };
}

function foldedTest(needle: string): LineTest {
  const lower = needle.toLowerCase();
  return { literals: null, testText: (line) => line.toLowerCase().includes(lower) };
}

const ALWAYS: LineTest = { literals: [Buffer.alloc(0)], testText: () => true };

/** Loki's regex simplifier for line filters: a literal, a case-insensitive literal, or alternatives of them. */
function simplifyRegex(n: ReNode): LineTest[] | null {
  const strip = (x: ReNode): ReNode => (x.op === 'capture' ? strip(x.sub) : x);
  const node = strip(n);
  const isAnyStar = (x: ReNode): boolean => x.op === 'star' && x.sub.op === 'anyCharNotNL';
  if (node.op === 'literal') {
    const text = String.fromCodePoint(...node.runes);
    return [node.fold ? foldedTest(text) : literalTest(text)];
  }
  if (node.op === 'emptyMatch' || isAnyStar(node)) return [ALWAYS];
  if (node.op === 'alternate') {
    const out: LineTest[] = [];
    for (const s of node.subs) {
      const r = simplifyRegex(s);
      if (r === null) return null;
      out.push(...r);
    }
    return out;
  }
  if (node.op === 'concat') {
    const subs = node.subs.map(strip).filter((s) => s.op !== 'emptyMatch' && !isAnyStar(s));
    if (subs.length === 1) return simplifyRegex(subs[0] as ReNode);
  }
  return null;
}

function anyOf(tests: readonly LineTest[]): LineTest {
  if (tests.length === 1) return tests[0] as LineTest;
  const all = tests.every((t) => t.literals !== null);
  return {
    literals: all ? tests.flatMap((t) => t.literals as Buffer[]) : null,
    testText: (line) => tests.some((t) => t.testText(line)),
  };
}

function termTest(stage: Stage, op: LineFilterOp, term: LineFilterTerm, named: string | undefined): LineTest {
  if (term.isIp) {
    if (op !== '|=' && op !== '!=') throw stageError(stage, 'ip: invalid operation', named);
    const ip = compileIpPattern(term.match);
    if (!ip.ok) throw stageError(stage, ip.error, named);
    const pattern = ip.ip;
    return { literals: null, testText: (line) => textHasIpIn(pattern, line) };
  }
  switch (op) {
    case '|=':
    case '!=':
      return term.match === '' ? ALWAYS : literalTest(term.match);
    case '|~':
    case '!~': {
      const r = compileGoRegex(term.match, { dotNL: false, anchored: false });
      if (!r.ok) throw stageError(stage, r.error, named);
      const simple = simplifyRegex(r.regex.parsed.root);
      if (simple !== null) return anyOf(simple);
      const re = r.regex.re;
      const required = r.regex.requiredLiteral;
      return { literals: null, testText: required === '' ? (line) => re.test(line) : (line) => line.includes(required) && re.test(line) };
    }
    case '|>':
    case '!>': {
      const p = compileLineFilterPattern(term.match);
      if (!p.ok) throw stageError(stage, p.error, named);
      const nodes = p.nodes;
      return { literals: null, testText: (line) => testLineFilterPattern(nodes, line) };
    }
  }
}

/**
 * Compile a line filter stage; throws FjordError('bad_request') as Loki does for a bad
 * regex/pattern/ip, naming the stage as `named` (Loki names the whole run of line filters it
 * combined the stage into) or else as the stage alone.
 */
export function compileLineFilter(stage: Stage & { kind: 'lineFilter' }, named?: string): CompiledLineFilter {
  const tests = stage.terms.map((t) => termTest(stage, stage.op, t, named));
  return { negate: stage.op === '!=' || stage.op === '!~' || stage.op === '!>', test: anyOf(tests) };
}

/** True when the raw bytes `buf[start, end)` pass a filter that needs only bytes. */
export function bytesPass(f: CompiledLineFilter, buf: Buffer, start: number, end: number): boolean {
  const lits = f.test.literals as readonly Buffer[];
  const view = buf.subarray(start, end);
  let found = false;
  for (const lit of lits) {
    if (lit.length === 0 || view.indexOf(lit) >= 0) {
      found = true;
      break;
    }
  }
  return found !== f.negate;
}
