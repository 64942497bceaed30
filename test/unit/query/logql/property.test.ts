/**
 * Property tests: printing any parsed query gives text that parses back to the same tree, and no
 * input — random or garbled — makes the parser throw anything but FjordError('bad_request').
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import { parseExpr, printExpr } from '../../../../query/logql/index.js';
import { PARSE_CASES } from '../../../conformance/logql-parse-cases.js';

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function pick<T>(r: (n: number) => number, xs: readonly T[]): T {
  return xs[r(xs.length)] as T;
}

const NAMES = ['app', 'job', 'level', 'status', 'x_y'];
const STRINGS = ['"a"', '"err.*"', '"x\\\\ty"', '`raw`', '"ünï"', '""'];

function selector(r: (n: number) => number): string {
  const n = 1 + r(3);
  const ms = [`${pick(r, NAMES)}="v${r(9)}"`];
  for (let i = 1; i < n; i++) ms.push(`${pick(r, NAMES)}${pick(r, ['=', '!=', '=~', '!~'])}${pick(r, ['"a"', '".+"', '"b|c"'])}`);
  return `{${ms.join(', ')}}`;
}

function stage(r: (n: number) => number): string {
  switch (r(12)) {
    case 0: return `${pick(r, ['|=', '!=', '|~', '!~'])} ${pick(r, STRINGS)}`;
    case 1: return `|= ${pick(r, STRINGS)} or ${pick(r, STRINGS)}`;
    case 2: return pick(r, ['| json', '| logfmt', '| logfmt --strict', '| unpack', '| json a="b.c[0]", d']);
    case 3: return `| ${pick(r, NAMES)} ${pick(r, ['>', '>=', '<', '==', '!='])} ${pick(r, ['5', '1.5', '-2', '250ms', '1h30m', '20MB', '1KiB'])}`;
    case 4: return `| ${pick(r, NAMES)}=${pick(r, STRINGS)} ${pick(r, ['and', 'or', ','])} ${pick(r, NAMES)}!~"x.*"`;
    case 5: return `| line_format "{{.${pick(r, NAMES)}}} {{ .a | ToUpper }}"`;
    case 6: return `| label_format ${pick(r, NAMES)}=${pick(r, NAMES)}, z="{{.a}}"`;
    case 7: return `| ${pick(r, ['drop', 'keep'])} ${pick(r, NAMES)}, ${pick(r, NAMES)}="v"`;
    case 8: return '| decolorize';
    case 9: return '| regexp "(?P<a>\\\\w+)"';
    case 10: return '| pattern "<a> <_>"';
    default: return `| ${pick(r, NAMES)}=ip("10.0.0.0/8")`;
  }
}

function logQuery(r: (n: number) => number): string {
  const stages: string[] = [];
  for (let i = r(4); i > 0; i--) stages.push(stage(r));
  return [selector(r), ...stages].join(' ');
}

function metric(r: (n: number) => number, depth: number): string {
  const range = `[${pick(r, ['1m', '5m', '1h30m', '30s'])}]${r(3) === 0 ? ` offset ${pick(r, ['5m', '1h', '-30s'])}` : ''}`;
  switch (depth > 2 ? 0 : r(6)) {
    case 0: return `${pick(r, ['rate', 'count_over_time', 'bytes_rate', 'bytes_over_time'])}(${logQuery(r)} ${range})`;
    case 1: return `${pick(r, ['sum_over_time', 'avg_over_time', 'max_over_time'])}(${logQuery(r)} | unwrap ${pick(r, ['x', 'bytes(x)', 'duration(x)'])} ${range})${r(2) ? ' by (a)' : ''}`;
    case 2: return `${pick(r, ['sum', 'avg', 'max', 'count'])} ${pick(r, ['by', 'without'])} (a, b) (${metric(r, depth + 1)})`;
    case 3: return `topk(${1 + r(5)}, ${metric(r, depth + 1)})`;
    case 4: return `${metric(r, depth + 1)} ${pick(r, ['+', '-', '*', '/', '%', '^', '>', '<= bool', 'and', 'or', 'unless', '/ on (a) group_left (b)', '+ ignoring (c)'])} ${metric(r, depth + 1)}`;
    default: return `${metric(r, depth + 1)} ${pick(r, ['*', '>', '+'])} ${pick(r, ['2', '0.5', '-1', '1e3'])}`;
  }
}

test('property: random queries print to text that parses back to the same tree', () => {
  const r = rng(42);
  let parsed = 0;
  for (let i = 0; i < 2000; i++) {
    const q = r(3) === 0 ? logQuery(r) : metric(r, 0);
    let ast;
    try {
      ast = parseExpr(q);
    } catch (err) {
      assert.ok(isFjordError(err, 'bad_request'), `${q}: ${String(err)}`);
      continue;
    }
    parsed++;
    const printed = printExpr(ast);
    assert.deepStrictEqual(parseExpr(printed), ast, `${q}\n  printed ${printed}`);
  }
  assert.ok(parsed > 1500, `only ${parsed} generated queries parsed`);
});

test('property: garbled queries fail only with FjordError(bad_request)', () => {
  const r = rng(7);
  const alphabet = ['{', '}', '(', ')', '[', ']', '"', '`', '|', '=', '~', '!', '>', '<', ',', ' ', 'a', '1', '5m', 'by', 'or', '\\', '#', '/*', '{{', '.', '-', '\n', '\u0000', 'é'];
  for (let i = 0; i < 5000; i++) {
    const base = pick(r, PARSE_CASES).query;
    const chars = [...base];
    for (let k = 1 + r(4); k > 0; k--) {
      const at = r(chars.length + 1);
      const op = r(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, pick(r, alphabet));
      else chars.splice(at, 0, ...chars.slice(r(chars.length), r(chars.length)));
    }
    const q = chars.join('');
    try {
      printExpr(parseExpr(q));
    } catch (err) {
      assert.ok(isFjordError(err, 'bad_request'), `${JSON.stringify(q)}: ${String(err)}`);
    }
  }
});
