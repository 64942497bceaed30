/**
 * Runs the LogQL conformance corpus: parser cases (canonical text, round trip, exact errors), log
 * pipeline cases and metric cases, each as its own named test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../schemas/index.js';
import { formatLabels, parseLabelText, type Labels } from '../../schemas/labels/index.js';
import { compileLogPipeline, createMetricEvaluator, parseExpr, printExpr, type LogSelectorExpr } from '../../query/logql/index.js';
import { PARSE_CASES } from './logql-parse-cases.js';
import { LOG_EVAL_CASES } from './logql-eval-cases.js';
import { METRIC_EVAL_CASES } from './logql-metric-cases.js';

const S = 1_000_000_000n;

for (const c of PARSE_CASES) {
  test(`parse ${c.kind}: ${c.query}`, () => {
    if (c.kind === 'error') {
      assert.throws(() => parseExpr(c.query), (err: unknown) => {
        assert.ok(isFjordError(err, 'bad_request'), `not a FjordError: ${String(err)}`);
        assert.equal(err.message, c.error);
        return true;
      });
      return;
    }
    const ast = parseExpr(c.query);
    const printed = printExpr(ast);
    if (c.kind === 'canonical') assert.equal(printed, c.canonical);
    assert.deepStrictEqual(parseExpr(printed), ast, `round trip of ${printed}`);
  });
}

function labelsOf(obj: Readonly<Record<string, string>>): Labels {
  return Object.entries(obj)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

for (const c of LOG_EVAL_CASES) {
  test(`log pipeline: ${c.name}`, () => {
    const expr = parseExpr(`{job="x"} ${c.stages}`) as LogSelectorExpr;
    const p = compileLogPipeline(expr).forStream(labelsOf(c.stream));
    const r = p.process(BigInt(c.tsNs ?? '0'), Buffer.from(c.line, 'utf8'), []);
    if (c.want === null) {
      assert.equal(r, null);
      return;
    }
    assert.ok(r !== null, 'entry was filtered out');
    assert.equal(formatLabels(r.labels), formatLabels(labelsOf(c.want.labels)));
    if (c.want.line !== undefined) assert.equal(r.line, c.want.line);
  });
}

const round = (v: number): number => Math.round(v * 1e9) / 1e9;

for (const c of METRIC_EVAL_CASES) {
  test(`metric: ${c.name}`, () => {
    const run = (): unknown => {
      const ev = createMetricEvaluator(parseExpr(c.query) as never, {
        startNs: BigInt(c.startSec) * S,
        endNs: BigInt(c.endSec) * S,
        stepNs: BigInt(c.stepSec) * S,
      });
      const streams = new Map<string, Labels>();
      for (const [stream, t, line] of c.entries) {
        const labels = streams.get(stream) ?? parseLabelText(stream);
        streams.set(stream, labels);
        for (const input of ev.inputs) {
          if (input.matchers.every((m) => m.matches(labels.find((l) => l.name === m.name)?.value ?? ''))) {
            ev.push(input.index, labels, BigInt(t) * S, Buffer.from(line), []);
          }
        }
      }
      const r = ev.finish();
      if (r.resultType === 'scalar') return `SCALAR:${r.result.value}`;
      if (r.resultType === 'vector') return r.result.map((s) => [formatLabels(s.metric), Number.isNaN(s.value) ? 'NaN' : round(s.value)]);
      return Object.fromEntries(r.result.map((s) => [formatLabels(s.metric), s.values.map(([t, v]) => [t / 1000, round(v)])]));
    };
    if (typeof c.want === 'string' && c.want.startsWith('ERROR:')) {
      assert.throws(run, (err: unknown) => isFjordError(err) && err.message.startsWith(c.want.toString().slice('ERROR:'.length)));
      return;
    }
    const want = JSON.parse(JSON.stringify(c.want, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v))) as unknown;
    assert.deepStrictEqual(run(), want);
  });
}
