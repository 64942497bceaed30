/**
 * Log queries as a streaming pipeline: a query's stages compiled once, a per-stream pipeline per
 * label set (cached), and `process(ts, line, structuredMetadata)` giving the output line and its
 * labels split into stream labels, structured metadata and parsed labels — or null when the entry
 * is filtered out. Leading line filters run on raw bytes; `selectLines` applies them to a whole
 * block and `processSelected` then runs only the remaining stages. Pure.
 */
import { formatLabels, type Labels } from '../../schemas/labels/index.js';
import type { LogSelectorExpr, Stage } from './ast.js';
import { selectBlockLines } from './stages/block-select.js';
import { compileStage } from './stages/compile-stage.js';
import { LabelsBuilder } from './stages/labels-builder.js';
import { PresenceGate, presenceCheck, type PresenceCheck } from './stages/label-presence.js';
import { filtersRunByParsers, logQueryHints, type ParserHints } from './stages/parser-hints.js';
import { bytesPass, compileLineFilter, type CompiledLineFilter } from './stages/line-filters.js';
import { leadingLineFilterCount, lineFilterRunNames, reorderStages } from './stages/stage-order.js';
import { runSteps, type Step } from './stages/stage-step.js';

/** One output entry of a log query. */
export interface LogEntryResult {
  readonly line: string;
  /** All output labels, sorted (Loki's labels when categorize-labels is off). */
  readonly labels: Labels;
  readonly streamLabels: Labels;
  readonly structuredMetadata: Labels;
  /** Parsed labels, including `__error__` / `__error_details__`. */
  readonly parsed: Labels;
}

/** The pipeline of one stream. */
export interface StreamLogPipeline {
  readonly streamLabels: Labels;
  /** Run every stage on one entry; null when filtered out. */
  process(tsNs: bigint, line: Uint8Array, structuredMetadata: Labels): LogEntryResult | null;
  /** Run the stages after the leading line filters (for lines `selectLines` kept). */
  processSelected(tsNs: bigint, line: Uint8Array, structuredMetadata: Labels): LogEntryResult | null;
}

/** A compiled log pipeline, shared by all streams of a query. */
export interface LogPipeline {
  /** Number of leading line filter stages `selectLines` applies. */
  readonly leadingLineFilters: number;
  /** The per-stream pipeline (cached by label set). */
  forStream(streamLabels: Labels): StreamLogPipeline;
  /**
   * Indices of the lines of a block that pass the leading line filters. The block's lines are
   * `text[bounds[i], bounds[i + 1])` for i < count.
   */
  selectLines(text: Uint8Array, bounds: ArrayLike<number>, count: number): Uint32Array;
}

/** Options: `nowNs` is what the template function `now` returns (defaults to the entry's timestamp). */
export interface LogPipelineOptions {
  readonly nowNs?: bigint;
}

function asBuffer(line: Uint8Array): Buffer {
  return Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
}

class StreamPipelineImpl implements StreamLogPipeline {
  private readonly lbs: LabelsBuilder;
  private readonly presence: PresenceGate | null;

  constructor(
    readonly streamLabels: Labels,
    private readonly prefilters: readonly CompiledLineFilter[],
    private readonly steps: readonly Step[],
    hints: ParserHints,
    presence: PresenceCheck | null,
  ) {
    this.lbs = new LabelsBuilder(streamLabels, hints);
    this.presence = presence === null ? null : new PresenceGate(presence, streamLabels);
  }

  process(tsNs: bigint, line: Uint8Array, sm: Labels): LogEntryResult | null {
    let text: string | null = null;
    if (this.prefilters.length > 0) {
      const buf = asBuffer(line);
      for (const f of this.prefilters) {
        if (f.test.literals !== null) {
          if (!bytesPass(f, buf, 0, buf.length)) return null;
        } else {
          text ??= buf.toString('utf8');
          if (f.test.testText(text) === f.negate) return null;
        }
      }
    }
    return this.run(tsNs, line, text, sm);
  }

  processSelected(tsNs: bigint, line: Uint8Array, sm: Labels): LogEntryResult | null {
    return this.run(tsNs, line, null, sm);
  }

  private run(tsNs: bigint, raw: Uint8Array, decoded: string | null, sm: Labels): LogEntryResult | null {
    if (this.presence !== null && !this.presence.mayHave(asBuffer(raw), sm)) return null;
    const lbs = this.lbs;
    lbs.reset();
    if (sm.length > 0) lbs.addStructuredMetadata(sm);
    const out = runSteps(this.steps, raw, decoded, lbs, tsNs);
    if (out === null) return null;
    const line = out ?? asBuffer(raw).toString('utf8');
    const r = lbs.result();
    return { line, labels: r.labels, streamLabels: r.stream, structuredMetadata: r.structuredMetadata, parsed: r.parsed };
  }
}

/** Compile the stages of a log query; throws FjordError('bad_request') for stages Loki rejects. */
export function compileStages(
  stages: readonly Stage[],
  opts: LogPipelineOptions = {},
): { ordered: Stage[]; prefilters: CompiledLineFilter[]; steps: Step[]; presence: PresenceCheck | null } {
  const ordered = reorderStages(stages);
  const lead = leadingLineFilterCount(ordered);
  const named = lineFilterRunNames(ordered);
  const prefilters = ordered.slice(0, lead).map((s) => compileLineFilter(s as Stage & { kind: 'lineFilter' }, named.get(s)));
  const checked = filtersRunByParsers(ordered);
  const steps = ordered.slice(lead).map((s) => compileStage(s, { nowNs: opts.nowNs ?? null }, named.get(s), checked.get(s)));
  return { ordered, prefilters, steps, presence: presenceCheck(ordered.slice(lead)) };
}

/** Compile a log query's pipeline (the stages of `expr`); throws FjordError('bad_request'). */
export function compileLogPipeline(expr: LogSelectorExpr, opts: LogPipelineOptions = {}): LogPipeline {
  const { ordered, prefilters, steps, presence } = compileStages(expr.stages, opts);
  const hints = logQueryHints(ordered);
  const cache = new Map<string, StreamLogPipeline>();
  return {
    leadingLineFilters: prefilters.length,
    forStream(streamLabels: Labels): StreamLogPipeline {
      const key = formatLabels(streamLabels);
      let p = cache.get(key);
      if (p === undefined) {
        p = new StreamPipelineImpl(streamLabels, prefilters, steps, hints, presence);
        cache.set(key, p);
      }
      return p;
    },
    selectLines(text, bounds, count) {
      return selectBlockLines(prefilters, asBuffer(text), bounds, count);
    },
  };
}
