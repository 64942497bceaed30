/**
 * The canonical text of a LogQL syntax tree, as Loki's String() methods print it
 * (`sum by (level)(count_over_time({app="foo"} |= "bar" | json[1m]))`). One deviation: a bytes
 * label filter whose humanized form would parse back to another value is printed as `<n>B`, so
 * that printing always round-trips. Pure.
 */
import { assertNever } from '../../schemas/index.js';
import type { Expr, Grouping, LabelFilter, LogRange, LogSelectorExpr, Matcher, SampleExpr, Stage, Unwrap } from './ast.js';
import { isSimplifiableLabelRegex } from './regex/label-regex-simplify.js';
import { formatGoDuration, formatGoFloatF, formatGoFloatFixed6, formatGoFloatV, formatPromDuration, humanizeBytes, humanizeParseBytes, quoteGo } from '../../schemas/go/index.js';

/** `name="value"` as Prometheus prints a matcher. */
export function printMatcher(m: Matcher): string {
  return `${m.name}${m.type}${quoteGo(m.value)}`;
}

function printStringLabelFilter(m: Matcher): string {
  if (m.type === '=~' && !isSimplifiableLabelRegex(m.value)) {
    return `${m.name}${m.type}${m.value.includes('`') ? quoteGo(m.value) : '`' + m.value + '`'}`;
  }
  return printMatcher(m);
}

function printBytes(value: number): string {
  const human = humanizeBytes(value).replace(/\s/g, '');
  const back = humanizeParseBytes(human);
  return back.ok && back.value === value ? human : `${value}B`;
}

/** A label filter as Loki prints it (`( a="b" , c>1 )`). */
export function printLabelFilter(f: LabelFilter): string {
  switch (f.kind) {
    case 'and': return `( ${printLabelFilter(f.left)} , ${printLabelFilter(f.right)} )`;
    case 'or': return `( ${printLabelFilter(f.left)} or ${printLabelFilter(f.right)} )`;
    case 'string': return printStringLabelFilter(f.matcher);
    case 'number': return `${f.name}${f.op}${formatGoFloatF(f.value)}`;
    case 'duration': return `${f.name}${f.op}${formatGoDuration(f.valueNs)}`;
    case 'bytes': return `${f.name}${f.op}${printBytes(f.value)}`;
    case 'ip': return `${f.name}${f.negate ? '!=' : '='}ip(${quoteGo(f.pattern)})`;
    default: return assertNever(f);
  }
}

function printExtractions(list: readonly { name: string; expression: string }[]): string {
  return list.map((e) => `${e.name}=${quoteGo(e.expression)}`).join(',');
}

/** One pipeline stage as Loki prints it. */
export function printStage(s: Stage): string {
  switch (s.kind) {
    case 'lineFilter':
      return `${s.op} ${s.terms.map((t) => (t.isIp ? `ip(${quoteGo(t.match)})` : quoteGo(t.match))).join(' or ')}`;
    case 'json':
      return s.extractions.length === 0 ? '| json' : `| json ${printExtractions(s.extractions)}`;
    case 'logfmt': {
      if (s.extractions.length === 0) return `| logfmt${s.strict ? ' --strict' : ''}${s.keepEmpty ? ' --keep-empty' : ''}`;
      return `| logfmt ${s.strict ? '--strict ' : ''}${s.keepEmpty ? '--keep-empty ' : ''}${printExtractions(s.extractions)}`;
    }
    case 'regexp': return `| regexp ${quoteGo(s.pattern)}`;
    case 'pattern': return `| pattern ${quoteGo(s.pattern)}`;
    case 'unpack': return '| unpack';
    case 'labelFilter': return `| ${printLabelFilter(s.filter)}`;
    case 'lineFormat': return `| line_format ${quoteGo(s.template)}`;
    case 'labelFormat':
      return `| label_format ${s.formats.map((f) => `${f.name}=${f.rename ? f.value : quoteGo(f.value)}`).join(',')}`;
    case 'decolorize': return '| decolorize';
    case 'drop':
    case 'keep':
      return `| ${s.kind} ${s.labels.map((l) => (l.matcher !== null ? printMatcher(l.matcher) : l.name)).join(',')}`;
    default: return assertNever(s);
  }
}

function printSelector(e: LogSelectorExpr): string {
  const sel = `{${e.matchers.map(printMatcher).join(', ')}}`;
  return e.stages.length === 0 ? sel : `${sel} ${e.stages.map(printStage).join(' ')}`;
}

function printUnwrap(u: Unwrap): string {
  const head = u.conversion === '' ? ` | unwrap ${u.label}` : ` | unwrap ${u.conversion}(${u.label})`;
  return head + u.postFilters.map((f) => ` | ${printLabelFilter(f)}`).join('');
}

function printRange(r: LogRange): string {
  let out = printSelector(r.selector);
  if (r.unwrap !== null) out += printUnwrap(r.unwrap);
  out += `[${formatPromDuration(r.rangeNs)}]`;
  if (r.offsetNs !== 0n) out += ` offset ${formatGoDuration(r.offsetNs)}`;
  return out;
}

function printGrouping(g: Grouping): string {
  return `${g.without ? ' without ' : ' by '}(${g.labels.join(',')})`;
}

function printSample(e: SampleExpr): string {
  switch (e.kind) {
    case 'rangeAggregation': {
      const param = e.param !== null ? `${formatGoFloatF(e.param)},` : '';
      return `${e.op}(${param}${printRange(e.range)})${e.grouping !== null ? printGrouping(e.grouping) : ''}`;
    }
    case 'vectorAggregation': {
      const withParam = e.op === 'topk' || e.op === 'bottomk' || e.op === 'approx_topk' || e.param !== 0;
      const params = withParam ? `${e.param},${printExpr(e.inner)}` : printExpr(e.inner);
      const singleton = !e.grouping.without && e.grouping.labels.length === 0;
      return `${e.op}${singleton ? '' : printGrouping(e.grouping)}(${params})`;
    }
    case 'binary': {
      let op: string = e.op;
      if (e.returnBool) op += ' bool';
      const m = e.matching;
      if (m.on || m.labels.length > 0) {
        let group = m.card === 'many-to-one' ? 'group_left' : m.card === 'one-to-many' ? 'group_right' : '';
        if (m.include.length > 0) group = `${group} (${m.include.join(',')})`;
        op = `${op} ${m.on ? 'on' : 'ignoring'} (${m.labels.join(',')}) ${group}`;
      }
      return `(${printExpr(e.lhs)} ${op} ${printExpr(e.rhs)})`;
    }
    case 'literal': return formatGoFloatV(e.value);
    case 'vector': return `vector(${formatGoFloatFixed6(e.value)})`;
    case 'labelReplace':
      return `label_replace(${printExpr(e.inner)},${quoteGo(e.dst)},${quoteGo(e.replacement)},${quoteGo(e.src)},${quoteGo(e.regex)})`;
    default: return assertNever(e);
  }
}

/** The canonical query text of a syntax tree (Loki's Expr.String()); it parses back to the same tree. */
export function printExpr(e: Expr): string {
  return e.kind === 'logSelector' ? printSelector(e) : printSample(e);
}
