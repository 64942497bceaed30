/**
 * A push as decoded from any wire format (Loki JSON, Loki protobuf, OTLP, Kafka record values),
 * before validation. Lines stay bytes so the protobuf path never decodes them to strings.
 */
import type { Label } from '../labels/index.js';

/** One pushed entry. */
export interface PushEntry {
  /** Nanoseconds since the Unix epoch. */
  readonly tsNs: bigint;
  /** The line, UTF-8. */
  readonly line: Uint8Array;
  /** Structured metadata pairs in the order sent. */
  readonly structuredMetadata: readonly Label[];
  /**
   * The entry's timestamp and line fields exactly as a protobuf `EntryAdapter` body holds them
   * (a view of the decoded request), set only when they are the canonical encoding of `tsNs` and
   * `line` and the entry came with no other fields. Writers copy it rather than encode `tsNs` and
   * `line` again; whoever changes `tsNs` or `line` makes an entry without it.
   */
  readonly wire?: Uint8Array;
}

/** One pushed stream: its label text as sent (`{a="b", c="d"}`) and its entries in the order sent. */
export interface PushStream {
  readonly labels: string;
  readonly entries: readonly PushEntry[];
}

/** A decoded push request. */
export interface PushRequest {
  readonly streams: readonly PushStream[];
}
