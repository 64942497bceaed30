/**
 * The port through which the compactor and the querier use a LogQL log selector without depending
 * on the LogQL engine: a delete request's query (`{app="x"} |= "secret"`) and a `retention_stream`
 * selector (`{namespace="dev"}`) are compiled once by the composition root's LogQL and then asked,
 * per stream and per entry, whether they select it. Pure types.
 */
import type { Labels } from './labels.js';

/** A compiled log selector: stream matchers and an optional pipeline of filters. */
export interface CompiledLogSelector {
  /** True when every stream matcher accepts the stream's labels. */
  matchesStream(labels: Labels): boolean;
  /**
   * True when the pipeline filters lines (a line filter with something to match, or a label
   * filter), as Loki's `HasFilter`; false when every entry of a matching stream is selected.
   */
  readonly hasLineFilter: boolean;
  /** For an entry of a matching stream: true when the pipeline keeps it (so a delete removes it). */
  selectsLine(streamLabels: Labels, tsNs: bigint, line: Uint8Array, structuredMetadata: Labels): boolean;
}

/**
 * Compiles `query`, a LogQL log query (no metric query). Throws FjordError('bad_request') with
 * Loki's delete API message `invalid query expression` when it is not one.
 */
export type LogSelectorCompiler = (query: string) => CompiledLogSelector;
