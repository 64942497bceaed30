/**
 * FjordError and the one catalogue of error codes. Validation codes are Loki's discard reasons, so
 * a code is also the `reason` label of `loki_discarded_samples_total`. The HTTP status of each code
 * is decided in platform/runtime/http-errors.ts.
 */

/** Every code an error raised on purpose may carry, with whether retrying may succeed. */
export const ERROR_CODES = {
  // configuration and command line
  invalid_config: { retryable: false },
  invalid_argument: { retryable: false },
  // requests
  bad_request: { retryable: false },
  missing_streams: { retryable: false },
  server_overloaded: { retryable: true },
  no_org_id: { retryable: false },
  not_found: { retryable: false },
  forbidden: { retryable: false },
  request_too_large: { retryable: false },
  too_many_outstanding_requests: { retryable: true },
  // queries
  query_timeout: { retryable: false },
  write_position_not_reached: { retryable: true },
  client_closed: { retryable: false },
  // push validation: Loki's discard reasons
  line_too_long: { retryable: false },
  label_name_too_long: { retryable: false },
  label_value_too_long: { retryable: false },
  max_label_names_per_series: { retryable: false },
  duplicate_label_names: { retryable: false },
  missing_labels: { retryable: false },
  invalid_labels: { retryable: false },
  greater_than_max_sample_age: { retryable: false },
  too_far_in_future: { retryable: false },
  too_far_behind: { retryable: false },
  rate_limited: { retryable: true },
  per_stream_rate_limit: { retryable: true },
  stream_limit: { retryable: true },
  disallowed_structured_metadata: { retryable: false },
  structured_metadata_too_large: { retryable: false },
  structured_metadata_too_many: { retryable: false },
  // partitioned log
  log_unavailable: { retryable: true },
  log_record_too_large: { retryable: false },
  log_offset_out_of_range: { retryable: false },
  log_corrupt: { retryable: false },
  log_closed: { retryable: false },
  // object store
  object_not_found: { retryable: false },
  object_store_unavailable: { retryable: true },
  invalid_object_key: { retryable: false },
  // ruler
  rule_store_read_only: { retryable: false },
  // chunks
  chunk_corrupt: { retryable: false },
  // index bundles
  index_corrupt: { retryable: false },
  // anything unexpected
  internal: { retryable: false },
  aborted: { retryable: false },
} as const satisfies Record<string, { readonly retryable: boolean }>;

/** A stable snake_case error code from the catalogue. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Why a push refused a stream or entry: Loki's validation reasons (pkg/validation/validate.go),
 * which are also the `reason` label of loki_discarded_samples_total. Each is an error code.
 */
export type DiscardReason = Extract<
  ErrorCode,
  | 'line_too_long' | 'label_name_too_long' | 'label_value_too_long' | 'max_label_names_per_series'
  | 'duplicate_label_names' | 'missing_labels' | 'invalid_labels' | 'greater_than_max_sample_age'
  | 'too_far_in_future' | 'too_far_behind' | 'rate_limited' | 'per_stream_rate_limit' | 'stream_limit'
  | 'disallowed_structured_metadata' | 'structured_metadata_too_large' | 'structured_metadata_too_many'
>;

/** An error raised on purpose: a stable code plus a message fit for users (Loki's text where Loki has one). */
export class FjordError extends Error {
  override readonly name = 'FjordError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the operation may succeed if tried again. */
  get isRetryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

/** True when `err` is a FjordError, optionally with the given code. */
export function isFjordError(err: unknown, code?: ErrorCode): err is FjordError {
  return err instanceof FjordError && (code === undefined || err.code === code);
}

/** Exhaustiveness check for `switch` over a discriminated union's `kind`. */
export function assertNever(value: never): never {
  throw new FjordError('internal', `unexpected value ${JSON.stringify(value)}`);
}

/** The message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
