/**
 * Label filter stages (`| level="error"`, `| duration > 1s`, `| size >= 20MB`, `| addr=ip("…")`,
 * `and`/`or`) with Loki's semantics (pkg/logql/log/label_filter.go): a missing label fails a
 * numeric/duration/bytes filter, a value that does not parse keeps the line and sets
 * `__error__=LabelFilterErr`, string matchers read a missing label as "", `and` evaluates both
 * sides. Pure.
 */
import type { CompareOp, LabelFilter, Stage } from '../ast.js';
import { compileMatcher } from '../matchers.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { humanizeParseBytes, parseGoDuration, parseGoFloat } from '../../../schemas/go/index.js';
import { compileIpPattern, textHasIpIn } from './ip-filter.js';
import type { LabelsBuilder } from './labels-builder.js';
import { stageError } from './line-filters.js';

/** Loki's `__error__` value for label filter failures. */
export const LABEL_FILTER_ERR = 'LabelFilterErr';

/** A compiled label filter: true keeps the line. */
export type LabelPredicate = (lbs: LabelsBuilder) => boolean;

function compare<T>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

function typed<T>(name: string, op: CompareOp, want: T, parse: (s: string) => { ok: true; value: T } | { ok: false; error: string }): LabelPredicate {
  return (lbs) => {
    const v = lbs.get(name);
    if (v === undefined) return false;
    const r = parse(v);
    if (!r.ok) {
      if (lbs.err === '') {
        lbs.err = LABEL_FILTER_ERR;
        lbs.errDetails = r.error;
      }
      return true;
    }
    return compare(op, r.value, want);
  };
}

function stringFilter(f: LabelFilter & { kind: 'string' }): LabelPredicate {
  const m = f.matcher;
  if (m.type === '=~' || m.type === '!~') {
    // Loki matches label regexes anchored, without `s`: `.` does not match a newline here.
    const r = compileGoRegex(m.value, { dotNL: false, anchored: true });
    const re = r.ok ? r.regex.re : null;
    const test = re !== null ? (v: string) => re.test(v) : compileMatcher({ ...m, type: '=~' }).matches;
    return m.type === '=~' ? (lbs) => test(lbs.filterValue(m.name)) : (lbs) => !test(lbs.filterValue(m.name));
  }
  const want = m.value;
  return m.type === '=' ? (lbs) => lbs.filterValue(m.name) === want : (lbs) => lbs.filterValue(m.name) !== want;
}

/** Compile a label filter; `stage` is for error messages (an invalid ip() pattern fails the query). */
export function compileLabelFilter(f: LabelFilter, stage: Stage): LabelPredicate {
  switch (f.kind) {
    case 'and': {
      const l = compileLabelFilter(f.left, stage);
      const r = compileLabelFilter(f.right, stage);
      return (lbs) => {
        const a = l(lbs);
        const b = r(lbs);
        return a && b;
      };
    }
    case 'or': {
      const l = compileLabelFilter(f.left, stage);
      const r = compileLabelFilter(f.right, stage);
      return (lbs) => l(lbs) || r(lbs);
    }
    case 'string': return stringFilter(f);
    case 'number': return typed(f.name, f.op, f.value, parseGoFloat);
    case 'duration': return typed(f.name, f.op, f.valueNs, parseGoDuration);
    case 'bytes': return typed(f.name, f.op, f.value, humanizeParseBytes);
    case 'ip': {
      const ip = compileIpPattern(f.pattern);
      if (!ip.ok) throw stageError(stage, ip.error);
      const pattern = ip.ip;
      return (lbs) => {
        if (lbs.err !== '') return true;
        const v = lbs.get(f.name);
        if (v === undefined) return false;
        return textHasIpIn(pattern, v) !== f.negate;
      };
    }
  }
}
