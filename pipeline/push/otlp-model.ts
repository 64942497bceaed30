/**
 * The decoded form of an OTLP/HTTP logs export (`opentelemetry.proto.collector.logs.v1.
 * ExportLogsServiceRequest`), shared by the protobuf and JSON decoders and by the conversion to a
 * PushRequest. Field names follow the proto (camelCase, as in OTLP JSON); 64-bit values are bigints.
 */

/** `opentelemetry.proto.common.v1.AnyValue`: one of its kinds, `empty` when no value is set. */
export type AnyValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'array'; readonly values: readonly AnyValue[] }
  | { readonly kind: 'kvlist'; readonly values: readonly KeyValue[] }
  | { readonly kind: 'bytes'; readonly value: Uint8Array };

/** One attribute. */
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

/** `opentelemetry.proto.logs.v1.LogRecord`. Absent fields hold their proto3 defaults. */
export interface OtlpLogRecord {
  /** Nanoseconds since the epoch; 0 when unset. */
  readonly timeUnixNano: bigint;
  /** Nanoseconds since the epoch; 0 when unset. */
  readonly observedTimeUnixNano: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
  /** 16 bytes, or empty when unset. */
  readonly traceId: Uint8Array;
  /** 8 bytes, or empty when unset. */
  readonly spanId: Uint8Array;
  readonly eventName: string;
}

/** `InstrumentationScope` and its records. */
export interface OtlpScopeLogs {
  readonly scope: {
    readonly name: string;
    readonly version: string;
    readonly attributes: readonly KeyValue[];
    readonly droppedAttributesCount: number;
  };
  readonly logRecords: readonly OtlpLogRecord[];
}

/** A `Resource` and its scopes. */
export interface OtlpResourceLogs {
  readonly resource: { readonly attributes: readonly KeyValue[]; readonly droppedAttributesCount: number };
  readonly scopeLogs: readonly OtlpScopeLogs[];
}

/** An `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  readonly resourceLogs: readonly OtlpResourceLogs[];
}

/** The AnyValue of an unset field. */
export const EMPTY_ANY_VALUE: AnyValue = Object.freeze({ kind: 'empty' });
