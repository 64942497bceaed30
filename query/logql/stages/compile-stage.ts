/**
 * Turns one AST stage into a Step with the behaviour of the matching Loki stage: parsers
 * (json, logfmt, regexp, pattern, unpack), label filters, line_format / label_format
 * (`__error__=TemplateFormatErr` on failure), drop / keep, decolorize. Pure.
 */
import { assertNever, FjordError } from '../../../schemas/index.js';
import type { Stage } from '../ast.js';
import { compileMatcher } from '../matchers.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { compileTemplate, TemplateParseError, type CompiledTemplate } from '../template/template-exec.js';
import { TemplateExecError } from '../template/template-values.js';
import { compileJsonExtractions, extractJsonPaths, JsonLineParser, unpackLine } from './json-parsers.js';
import { keyNames } from './key-names.js';
import { compileLabelFilter } from './label-filters.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL, PRESERVE_ERROR_LABEL, type LabelsBuilder } from './labels-builder.js';
import { sanitizeLabelKey } from '../../../schemas/go/index.js';
import { compileLineFilter, stageError } from './line-filters.js';
import { logfmtExpressionError } from './logfmt-expression.js';
import { extractLogfmtKeys, parseLogfmtLine } from './logfmt-parser.js';
import { compilePattern, matchPattern } from './pattern-expr.js';
import { bytesOnly, lineView, type Step, type StepContext } from './stage-step.js';

/** Loki's `__error__` value for template failures. */
export const TEMPLATE_FORMAT_ERR = 'TemplateFormatErr';

const ANSI = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g;

function labelMap(lbs: LabelsBuilder): Record<string, string> {
  const m: Record<string, string> = {};
  for (const { label } of lbs.unsorted()) m[label.name] = label.value;
  return m;
}

function template(name: string, src: string, onError: (msg: string) => string): CompiledTemplate {
  try {
    return compileTemplate(name, src);
  } catch (e) {
    if (e instanceof TemplateParseError) throw new FjordError('bad_request', onError(e.message));
    throw e;
  }
}

/** Run `build`, giving a FjordError it throws Loki's stage error text (`stage '<stage>' : …`). */
function asStageError<T>(stage: Stage, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof FjordError) throw stageError(stage, err.message);
    throw err;
  }
}

function regexpStep(pattern: string): Step {
  const r = compileGoRegex(pattern, { dotNL: false, anchored: false });
  if (!r.ok) throw new FjordError('bad_request', r.error);
  const re = r.regex.re;
  const names = r.regex.captureNames.map((n) => (n === '' ? '' : sanitizeLabelKey(n, true)));
  return (line, lbs) => {
    const m = re.exec(line);
    if (m === null) return line;
    for (let i = 1; i < names.length; i++) {
      const n = names[i] as string;
      if (n === '') continue;
      const key = lbs.parsedName(n);
      if (!lbs.shouldExtract(key) || lbs.wasExtracted(key)) continue;
      lbs.set('parsed', key, m[i] ?? '');
      if (!lbs.passesFilterOn(key)) return null;
    }
    return line;
  };
}

function patternStep(pattern: string): Step {
  const p = compilePattern(pattern);
  if (!p.ok) throw new FjordError('bad_request', p.error);
  const matcher = p.matcher;
  return (line, lbs) => {
    if (lbs.hasNothingToExtract()) return line;
    const values = matchPattern(matcher, line);
    if (values === null) return line;
    for (let i = 0; i < values.length; i++) {
      const key = lbs.parsedName(matcher.names[i] as string);
      if (lbs.wasExtracted(key) || !lbs.shouldExtract(key)) continue;
      lbs.set('parsed', key, values[i] ?? '');
      if (!lbs.passesFilterOn(key)) return null;
    }
    return line;
  };
}

function labelFormatStep(stage: Stage & { kind: 'labelFormat' }, ctx: StepContext): Step {
  const seen = new Set<string>();
  for (const f of stage.formats) {
    if (f.name === ERROR_LABEL) throw new FjordError('bad_request', `parse error : stage '${stage.kind}' : ${f.name} cannot be formatted`);
    if (seen.has(f.name)) throw new FjordError('bad_request', `multiple label name '${f.name}' not allowed in a single format operation`);
    seen.add(f.name);
  }
  const formats = stage.formats.map((f) => ({
    ...f,
    tmpl: f.rename ? null : template('label', f.value, (m) => `invalid template for label '${f.name}': ${m}`),
  }));
  return (line, lbs, tsNs) => {
    let data: Record<string, string> | null = null;
    for (const f of formats) {
      if (f.tmpl === null) {
        const v = lbs.getWithCategory(f.value);
        if (v !== undefined) {
          lbs.set('parsed', f.name, v.value);
          lbs.del([f.value]);
        }
        continue;
      }
      data ??= labelMap(lbs);
      try {
        lbs.set('parsed', f.name, f.tmpl.execute(data, { line, tsNs, nowNs: ctx.nowNs ?? tsNs }));
      } catch (e) {
        if (!(e instanceof TemplateExecError)) throw e;
        lbs.err = TEMPLATE_FORMAT_ERR;
        lbs.errDetails = e.message;
      }
    }
    return line;
  };
}

function lineFormatStep(src: string, ctx: StepContext): Step {
  const t = template('line', src, (m) => `invalid line template: ${m}`);
  if (t.simpleKey !== null) {
    const key = t.simpleKey;
    return (_line, lbs) => lbs.get(key) ?? '';
  }
  return (line, lbs, tsNs) => {
    try {
      return t.execute(labelMap(lbs), { line, tsNs, nowNs: ctx.nowNs ?? tsNs });
    } catch (e) {
      if (!(e instanceof TemplateExecError)) throw e;
      lbs.err = TEMPLATE_FORMAT_ERR;
      lbs.errDetails = e.message;
      return line;
    }
  };
}

function dropStep(stage: Stage & { kind: 'drop' }): Step {
  const items = stage.labels.map((l) => ({ name: l.matcher?.name ?? l.name, matcher: l.matcher === null ? null : compileMatcher(l.matcher) }));
  return (line, lbs) => {
    for (const it of items) {
      if (it.name === ERROR_LABEL) {
        if (it.matcher === null || it.matcher.matches(lbs.err)) lbs.err = '';
      } else if (it.name === ERROR_DETAILS_LABEL) {
        if (it.matcher === null || it.matcher.matches(lbs.errDetails)) lbs.errDetails = '';
      } else if (it.matcher === null) {
        if (lbs.get(it.name) !== undefined) lbs.del([it.name]);
      } else if (it.matcher.matches(lbs.get(it.name) ?? '')) {
        lbs.del([it.name]);
      }
    }
    return line;
  };
}

const SPECIAL = new Set([ERROR_LABEL, ERROR_DETAILS_LABEL, PRESERVE_ERROR_LABEL]);

function keepStep(stage: Stage & { kind: 'keep' }): Step {
  const items = stage.labels.map((l) => ({ name: l.name, matcher: l.matcher === null ? null : compileMatcher(l.matcher) }));
  return (line, lbs) => {
    const drop: string[] = [];
    for (const { label } of lbs.unsorted()) {
      if (SPECIAL.has(label.name)) continue;
      const keep = items.some((it) => (it.matcher !== null ? it.matcher.name === label.name && it.matcher.matches(label.value) : it.name === label.name));
      if (!keep) drop.push(label.name);
    }
    if (drop.length > 0) lbs.del(drop);
    return line;
  };
}

/**
 * Compile one stage into a Step; throws FjordError('bad_request') for what Loki rejects when
 * building the pipeline (a line filter named as `named`, its run of line filters). A label filter
 * with a `checkedLabel` is one parsers run as they extract that label (filtersRunByParsers): it
 * passes a line on which they did.
 */
export function compileStage(stage: Stage, ctx: StepContext, named?: string, checkedLabel?: string): Step {
  switch (stage.kind) {
    case 'lineFilter': {
      const f = compileLineFilter(stage, named);
      const { negate, test } = f;
      return (line) => (test.testText(line) !== negate ? line : null);
    }
    case 'json': {
      if (stage.extractions.length === 0) {
        const parser = new JsonLineParser();
        return bytesOnly((line, lbs, _tsNs, bytes, from, to) => (parser.parse(line, lbs, bytes, from, to) ? line : null));
      }
      const { ids, paths } = asStageError(stage, () => compileJsonExtractions(stage.extractions));
      return bytesOnly((line, lbs, _tsNs, bytes, from, to) => (extractJsonPaths(line, ids, paths, lbs, lineView(bytes, from, to)), line));
    }
    case 'logfmt': {
      const { strict, keepEmpty } = stage;
      if (stage.extractions.length === 0) {
        return bytesOnly((line, lbs, _tsNs, bytes, from, to) => ((bytes === null ? parseLogfmtLine(Buffer.from(line), lbs, strict, keepEmpty) : parseLogfmtLine(bytes, lbs, strict, keepEmpty, from, to)) ? line : null));
      }
      for (const e of stage.extractions) {
        const err = logfmtExpressionError(e.expression);
        if (err !== null) throw stageError(stage, `cannot parse expression [${e.expression}]: ${err}`);
      }
      const ids = stage.extractions.map((e) => e.name);
      const keys = keyNames(stage.extractions.map((e) => e.expression));
      return bytesOnly((line, lbs, _tsNs, bytes, from, to) => (extractLogfmtKeys(lineView(bytes, from, to) ?? Buffer.from(line), lbs, ids, keys, strict), line));
    }
    case 'regexp': return regexpStep(stage.pattern);
    case 'pattern': return patternStep(stage.pattern);
    case 'unpack': return (line, lbs, _tsNs, bytes, from, to) => unpackLine(line, lbs, lineView(bytes, from, to));
    case 'labelFilter': {
      const pred = compileLabelFilter(stage.filter, stage);
      if (checkedLabel === undefined) return bytesOnly((line, lbs) => (pred(lbs) ? line : null));
      const name = checkedLabel;
      return bytesOnly((line, lbs) => (lbs.passedFilterOn(name) || pred(lbs) ? line : null));
    }
    case 'lineFormat': return lineFormatStep(stage.template, ctx);
    case 'labelFormat': return labelFormatStep(stage, ctx);
    case 'decolorize': return (line) => line.replace(ANSI, '');
    case 'drop': return bytesOnly(dropStep(stage));
    case 'keep': return bytesOnly(keepStep(stage));
    default: return assertNever(stage);
  }
}
