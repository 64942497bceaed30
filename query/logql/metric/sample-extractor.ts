/**
 * Turning log entries into samples for a range aggregation, as Loki's sample extractors do
 * (pkg/logql/log/metrics_extraction.go and syntax/extractor.go): the value is 1 per line, the
 * line's byte length, or an unwrapped label converted by `bytes()`/`duration()`/float (failures
 * set `__error__=SampleExtractionErr`); the series labels follow the grouping (`by`, `without`,
 * none → every label, `by ()` → no labels), and a line with an error keeps all its labels. Pure.
 */
import { formatLabels, type Label, type Labels } from '../../../schemas/labels/index.js';
import type { Grouping, LabelFilter, LogRange, RangeOp } from '../ast.js';
import { compileStages } from '../log-pipeline.js';
import { humanizeParseBytes, parseGoDuration, parseGoFloat } from '../../../schemas/go/index.js';
import { compileLabelFilter, type LabelPredicate } from '../stages/label-filters.js';
import { ERROR_LABEL, LabelsBuilder, PRESERVE_ERROR_LABEL } from '../stages/labels-builder.js';
import { bytesPass, type CompiledLineFilter } from '../stages/line-filters.js';
import { PresenceGate, type PresenceCheck } from '../stages/label-presence.js';
import { parserHints, type ParserHints } from '../stages/parser-hints.js';
import { runSteps, type Step } from '../stages/stage-step.js';

/** Loki's `__error__` value for unwrap conversion failures. */
export const SAMPLE_EXTRACTION_ERR = 'SampleExtractionErr';

/** The series a sample belongs to: its key, labels and whether it carries `__error__`. */
export interface SeriesRef {
  readonly key: string;
  readonly labels: Labels;
  /** True when the series carries `__error__` (Loki then fails the query if the sample is used). */
  readonly hasError: boolean;
}

/** The extractor of one stream. */
export interface StreamExtractor {
  /** The series of the entry's sample, or null when the entry gives none; the sample's value is then `value`. */
  extract(tsNs: bigint, line: Uint8Array, sm: Labels): SeriesRef | null;
  /** `extract` of the line text[start, end) taken at times[i] (read in place: no view of the line is made, and the time is read only if the line is parsed). */
  extractAt(times: ArrayLike<bigint>, i: number, text: Uint8Array, start: number, end: number, sm: Labels): SeriesRef | null;
  /**
   * The lines from..to-1 of a block (line i is text[bounds[i], bounds[i + 1]), its structured
   * metadata `smOf(i)`, null when no entry has any) that may give a sample, ascending, or null when
   * any may; a line it leaves out gives none. Those it keeps go to `extractSelected`.
   */
  selectRun(text: Uint8Array, bounds: ArrayLike<number>, from: number, to: number, smOf: ((i: number) => Labels) | null): Uint32Array | null;
  /** `extractAt` of a line `selectRun` kept (the checks it made are not made again). */
  extractSelected(tsNs: bigint, text: Uint8Array, start: number, end: number, sm: Labels): SeriesRef | null;
  /** The value of the last sample `extract` gave. */
  readonly value: number;
}

/** How series labels are formed from a line's labels. */
interface GroupingRule {
  readonly groups: readonly string[];
  readonly without: boolean;
  readonly noLabels: boolean;
}

const byName = (a: Label, b: Label): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function groupedLabels(lbs: LabelsBuilder, rule: GroupingRule): Labels {
  if (lbs.err !== '') return lbs.result().labels;
  if (rule.noLabels) return [];
  if (rule.groups.length === 0) return lbs.result().labels;
  if (rule.without) return lbs.result().labels.filter((l) => !rule.groups.includes(l.name));
  const out: Label[] = [];
  for (const g of rule.groups) {
    const v = lbs.get(g);
    if (v !== undefined) out.push({ name: g, value: v });
  }
  return out.sort(byName);
}

type Conversion = (v: string) => { ok: true; value: number } | { ok: false; error: string };

const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  '': parseGoFloat,
  bytes: humanizeParseBytes,
  duration: (v) => {
    const r = parseGoDuration(v);
    return r.ok ? { ok: true, value: Number(r.value) / 1e9 } : r;
  },
  duration_seconds: (v) => {
    const r = parseGoDuration(v);
    return r.ok ? { ok: true, value: Number(r.value) / 1e9 } : r;
  },
};

function asBuffer(line: Uint8Array): Buffer {
  return Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
}

/**
 * Build the sample extractor of a range aggregation. `override` is the grouping Loki pushes down
 * from an enclosing `sum` (when the range aggregation has none).
 */
export function compileSampleExtractor(
  op: RangeOp,
  range: LogRange,
  grouping: Grouping | null,
  override: Grouping | null,
  opts: { readonly nowNs?: bigint } = {},
): (streamLabels: Labels) => StreamExtractor {
  const { ordered, prefilters, steps, presence } = compileStages(range.selector.stages, opts.nowNs === undefined ? {} : { nowNs: opts.nowNs });
  const g = override ?? grouping;
  let rule: GroupingRule = {
    groups: g === null ? [] : [...g.labels].sort(),
    without: g?.without ?? false,
    noLabels: (g !== null && !g.without && g.labels.length === 0) || op === 'absent_over_time',
  };
  const unwrap = range.unwrap;
  let post: LabelPredicate | null = null;
  let convert: Conversion | null = null;
  if (unwrap !== null) {
    if (rule.groups.length === 0 || rule.without) rule = { ...rule, without: true, groups: [...rule.groups, unwrap.label].sort() };
    convert = CONVERSIONS[unwrap.conversion] as Conversion;
    const filters = unwrap.postFilters;
    if (filters.length > 0) {
      const combined = filters.slice(1).reduce<LabelFilter>((acc, f) => ({ kind: 'and', left: acc, right: f }), filters[0] as LabelFilter);
      post = compileLabelFilter(combined, { kind: 'labelFilter', filter: combined });
    }
  }
  const hints = parserHints(ordered, unwrap?.postFilters ?? [], rule.groups, rule.without, rule.noLabels, unwrap?.label ?? '');
  const bytesValue = op === 'bytes_over_time' || op === 'bytes_rate';
  const cache = new Map<string, StreamExtractor>();
  return (streamLabels) => {
    const key = formatLabels(streamLabels);
    let ex = cache.get(key);
    if (ex === undefined) {
      ex = new LineExtractor(streamLabels, hints, presence, prefilters, steps, rule, unwrap?.label ?? null, convert, post, bytesValue);
      cache.set(key, ex);
    }
    return ex;
  };
}

/** Most distinct series one stream's extractor remembers (past it, series are rebuilt per line). */
const SERIES_CACHE_SIZE = 10_000;

class LineExtractor implements StreamExtractor {
  value = 0;
  private readonly lbs: LabelsBuilder;
  private readonly presence: PresenceGate | null;
  private readonly seriesCache = new Map<string, SeriesRef>();
  /** Without stages or unwrap a line's series follows from its structured metadata alone: by identity. */
  private readonly bySm: Map<Labels, SeriesRef> | null;
  private readonly plain: SeriesRef | null;
  /** The label of a grouping `by` one label (null for any other grouping), and its series by value. */
  private readonly byOne: string | null;
  private readonly byValue = new Map<string, SeriesRef>();
  private unlabelled: SeriesRef | null = null;
  /** The last block text that was not a Buffer, and the Buffer over it. */
  private lastText: Uint8Array | null = null;
  private lastBuffer: Buffer | null = null;

  constructor(
    private readonly streamLabels: Labels,
    hints: ParserHints,
    presence: PresenceCheck | null,
    private readonly prefilters: readonly CompiledLineFilter[],
    private readonly steps: readonly Step[],
    private readonly rule: GroupingRule,
    private readonly unwrapLabel: string | null,
    private readonly convert: Conversion | null,
    private readonly post: LabelPredicate | null,
    private readonly bytesValue: boolean,
  ) {
    this.lbs = new LabelsBuilder(streamLabels, hints);
    this.presence = presence === null ? null : new PresenceGate(presence, streamLabels);
    this.plain = rule.noLabels ? this.series([]) : null;
    this.byOne = !rule.noLabels && !rule.without && rule.groups.length === 1 ? (rule.groups[0] as string) : null;
    this.bySm = prefilters.length === 0 && steps.length === 0 && unwrapLabel === null ? new Map() : null;
  }

  private series(labels: Labels): SeriesRef {
    const k = formatLabels(labels);
    let s = this.seriesCache.get(k);
    if (s === undefined) {
      const hasError = labels.some((l) => l.name === ERROR_LABEL) && !labels.some((l) => l.name === PRESERVE_ERROR_LABEL && l.value === 'true');
      s = { key: k, labels, hasError };
      if (this.seriesCache.size < SERIES_CACHE_SIZE) this.seriesCache.set(k, s);
    }
    return s;
  }

  /** The series of the current label state. */
  private current(): SeriesRef {
    const lbs = this.lbs;
    if (this.plain !== null && lbs.err === '') return this.plain;
    if (lbs.isUnchanged() && this.rule.groups.length === 0) return this.series(this.streamLabels);
    if (this.byOne !== null && lbs.err === '') return this.seriesOfValue(this.byOne, lbs.get(this.byOne));
    return this.series(groupedLabels(lbs, this.rule));
  }

  /** The series of a `by` one label, whose value on the line is `v` (undefined: absent), found by the value alone. */
  private seriesOfValue(name: string, v: string | undefined): SeriesRef {
    if (v === undefined) return (this.unlabelled ??= this.series([]));
    let s = this.byValue.get(v);
    if (s === undefined) {
      s = this.series([{ name, value: v }]);
      if (this.byValue.size < SERIES_CACHE_SIZE) this.byValue.set(v, s);
    }
    return s;
  }

  extractAt(times: ArrayLike<bigint>, i: number, text: Uint8Array, start: number, end: number, sm: Labels): SeriesRef | null {
    if (this.bySm !== null) return this.bySmOf(end - start, sm);
    if (this.presence !== null && this.prefilters.length === 0 && this.presence.isNotAnObject(text, start, end, sm)) return null;
    return this.extractRange(times[i] as bigint, this.blockBuffer(text), start, end, sm);
  }

  selectRun(text: Uint8Array, bounds: ArrayLike<number>, from: number, to: number, smOf: ((i: number) => Labels) | null): Uint32Array | null {
    if (this.bySm !== null || this.presence === null || this.prefilters.length > 0) return null;
    return this.presence.selectRun(asBuffer(text), bounds, from, to, smOf);
  }

  extractSelected(tsNs: bigint, text: Uint8Array, start: number, end: number, sm: Labels): SeriesRef | null {
    return this.extractParsed(tsNs, this.blockBuffer(text), start, end, null, sm);
  }

  /** `text` as a Buffer, made once per block rather than per line. */
  private blockBuffer(text: Uint8Array): Buffer {
    if (Buffer.isBuffer(text)) return text;
    if (text !== this.lastText) {
      this.lastText = text;
      this.lastBuffer = asBuffer(text);
    }
    return this.lastBuffer as Buffer;
  }

  /** The series of a stage-less extraction, from the line's structured metadata alone. */
  private bySmOf(lineBytes: number, sm: Labels): SeriesRef {
    this.value = this.bytesValue ? lineBytes : 1;
    const bySm = this.bySm as Map<Labels, SeriesRef>;
    let s = bySm.get(sm);
    if (s === undefined) {
      this.lbs.reset();
      if (sm.length > 0) this.lbs.addStructuredMetadata(sm);
      s = this.current();
      if (bySm.size < SERIES_CACHE_SIZE) bySm.set(sm, s);
    }
    return s;
  }

  extract(tsNs: bigint, raw: Uint8Array, sm: Labels): SeriesRef | null {
    if (this.bySm !== null) return this.bySmOf(raw.length, sm);
    return this.extractRange(tsNs, asBuffer(raw), 0, raw.length, sm);
  }

  /** `extract` of the line buf[start, end). */
  private extractRange(tsNs: bigint, buf: Buffer, start: number, end: number, sm: Labels): SeriesRef | null {
    let text: string | null = null;
    for (const f of this.prefilters) {
      if (f.test.literals !== null) {
        if (!bytesPass(f, buf, start, end)) return null;
      } else {
        text ??= buf.toString('utf8', start, end);
        if (f.test.testText(text) === f.negate) return null;
      }
    }
    if (this.presence !== null && !this.presence.mayHave(buf, sm, start, end)) return null;
    return this.extractParsed(tsNs, buf, start, end, text, sm);
  }

  /** `extract` of buf[start, end) after the line filters and the presence check passed; `text` is the line decoded, if it was. */
  private extractParsed(tsNs: bigint, buf: Buffer, start: number, end: number, text: string | null, sm: Labels): SeriesRef | null {
    const lbs = this.lbs;
    lbs.reset();
    if (sm.length > 0) lbs.addStructuredMetadata(sm);
    let line: string | null = null;
    if (this.steps.length > 0) {
      const out = runSteps(this.steps, buf, text, lbs, tsNs, start, end);
      if (out === null) return null;
      line = out ?? null;
    }
    if (this.unwrapLabel !== null) {
      const v = lbs.get(this.unwrapLabel);
      if (v === undefined || v === '') return null;
      const r = (this.convert as Conversion)(v);
      this.value = r.ok ? r.value : 0;
      if (!r.ok) {
        lbs.err = SAMPLE_EXTRACTION_ERR;
        lbs.errDetails = r.error;
      }
      if (this.post !== null && !this.post(lbs)) return null;
    } else if (this.bytesValue) {
      this.value = line === null ? end - start : Buffer.byteLength(line);
    } else {
      this.value = 1;
    }
    return this.current();
  }
}
