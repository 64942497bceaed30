/**
 * A label filter parsers already ran as they extracted its label is passed without running it
 * again: over random lines, pipelines that pass such filters give every line the outcome and
 * labels of the same pipelines running every filter, for log and metric hints alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpr } from '../../../../../query/logql/index.js';
import type { LogSelectorExpr, Stage } from '../../../../../query/logql/ast.js';
import { compileStage } from '../../../../../query/logql/stages/compile-stage.js';
import { LabelsBuilder } from '../../../../../query/logql/stages/labels-builder.js';
import { filtersRunByParsers, logQueryHints, parserHints, type ParserHints } from '../../../../../query/logql/stages/parser-hints.js';
import { reorderStages } from '../../../../../query/logql/stages/stage-order.js';
import { runSteps, type Step } from '../../../../../query/logql/stages/stage-step.js';
import { randomInt, seededRandom } from '../../../../helpers/random.js';

function stagesOf(query: string): Stage[] {
  return reorderStages((parseExpr(query) as LogSelectorExpr).stages);
}

test('filtersRunByParsers: the first single-label filter on each name, while only parsers keeping first values and filters came before', () => {
  const names = (q: string): string[] => [...filtersRunByParsers(stagesOf(q)).values()];
  assert.deepEqual(names('{a="b"} | json | status=500'), ['status']);
  assert.deepEqual(names('{a="b"} | logfmt | json | status>=300 | status<500 | level="error"'), ['status', 'level']);
  assert.deepEqual(names('{a="b"} | json | drop status | status=500'), []);
  assert.deepEqual(names('{a="b"} | json | label_format status="500" | status=500'), []);
  assert.deepEqual(names('{a="b"} | regexp "(?P<status>\\\\d+)" | json | status=500'), []);
  assert.deepEqual(names('{a="b"} | json | level="error" or status=500 | status=500'), ['status']);
  assert.deepEqual(names('{a="b"} | json | __error__="" | __error_details__="" | status=500'), ['status']);
  assert.deepEqual(names('{a="b"} | json a="b" | status=500'), []);
});

const QUERIES = [
  '{app="x"} | json | status=500',
  '{app="x"} | json | status>=300 | status<501',
  '{app="x"} | json | status="500"',
  '{app="x"} | json | drop status | status=500',
  '{app="x"} | json | label_format status="500" | status=500',
  '{app="x"} | json | keep level | level="error"',
  '{app="x"} | logfmt | json | status=500 | level=~"err.*"',
  '{app="x"} | json | logfmt | status!=200',
  '{app="x"} | json | level="error" or status=500 | status=500',
  '{app="x"} | json | __error__="" | status=500',
  '{app="x"} | regexp "status=(?P<status>\\\\d+)" | json | status=500',
  '{app="x"} | json | user_id > 500 | status=500',
  '{app="x"} | json | status=500 | line_format "{{.status}}" | logfmt | status=500',
  '{app="x"} | json | status_extracted=500',
  '{app="x"} | json | dur > 1s',
  '{app="x"} | unpack | json | status=500',
  '{app="x"} | json status="status" | status=500',
];

function randomLine(rand: () => number): string {
  const status = ['500', '"500"', '200', '"abc"', '501', 'true'][randomInt(rand, 0, 5)] as string;
  switch (randomInt(rand, 0, 4)) {
    case 0: return `status=${status.replace(/"/g, '')} level=error dur=2s`;
    case 1: return `{"status":${status},"status":200,"level":"error"}`;
    case 2: return `{"level":"info","user":{"id":${randomInt(rand, 0, 1000)}},"status":${status},"dur":"${randomInt(rand, 0, 3)}s"}`;
    case 3: return `{"status":${status},"msg":"cut`;
    default: return `{"msg":"x","status":${status}} status=500`;
  }
}

/** The line's outcome through `steps`: null when dropped, else its line and labels. */
function outcome(steps: readonly Step[], stream: { name: string; value: string }[], hints: ParserHints, line: string): unknown {
  const lbs = new LabelsBuilder(stream, hints);
  lbs.reset();
  const raw = Buffer.from(`pad${line}pad`);
  const out = runSteps(steps, raw, null, lbs, 0n, 3, raw.length - 3);
  return out === null ? null : { line: out ?? line, labels: lbs.result() };
}

test('a label filter passed because parsers ran it leaves every line as running the filter does', () => {
  const rand = seededRandom(21);
  const lines = Array.from({ length: 400 }, () => randomLine(rand));
  for (const query of QUERIES) {
    const ordered = stagesOf(query);
    const checked = filtersRunByParsers(ordered);
    const ctx = { nowNs: null };
    const passing = ordered.map((s) => compileStage(s, ctx, undefined, checked.get(s)));
    const running = ordered.map((s) => compileStage(s, ctx, undefined, undefined));
    const hintsets = [logQueryHints(ordered), parserHints(ordered, [], [], false, true, ''), parserHints(ordered, [], ['level'], false, false, '')];
    for (const stream of [[{ name: 'app', value: 'x' }], [{ name: 'app', value: 'x' }, { name: 'status', value: '500' }]]) {
      for (const hints of hintsets) {
        for (const line of lines) {
          assert.deepEqual(outcome(passing, stream, hints, line), outcome(running, stream, hints, line), `${query} on ${line}`);
        }
      }
    }
  }
});
