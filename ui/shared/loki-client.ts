/** Calls to Fjord's Loki HTTP API from the browser, with Loki's JSON shapes. */

/** A non-2xx answer: Loki's plain-text (or JSON) error message with its status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** One log line as the explorer holds it. */
export interface LogLine {
  /** Nanoseconds since the epoch, as Loki's decimal string. */
  readonly tsNs: string;
  readonly line: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly structuredMetadata: Readonly<Record<string, string>>;
  readonly parsed: Readonly<Record<string, string>>;
}

/** One series of a metric query: its labels and [seconds, value] points. */
export interface MetricSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/** Loki's `stats.summary` (the fields the explorer shows). */
export interface QuerySummary {
  readonly totalBytesProcessed?: number;
  readonly totalLinesProcessed?: number;
  readonly execTime?: number;
  readonly totalEntriesReturned?: number;
}

export type RangeResult =
  | { readonly kind: 'streams'; readonly lines: LogLine[]; readonly summary: QuerySummary }
  | { readonly kind: 'matrix'; readonly series: MetricSeries[]; readonly summary: QuerySummary };

interface StreamJson {
  readonly stream: Record<string, string>;
  readonly values: readonly (readonly [string, string, { structuredMetadata?: Record<string, string>; parsed?: Record<string, string> }?])[];
}

/** GET `path` with `params`; the parsed JSON body, or an ApiError with the server's message. */
export async function getJson(path: string, params: Record<string, string>, tenant: string, headers: Record<string, string> = {}): Promise<unknown> {
  const url = `${path}?${new URLSearchParams(params).toString()}`;
  const res = await fetch(url, { headers: tenant === '' ? headers : { ...headers, 'X-Scope-OrgID': tenant } });
  const text = await res.text();
  if (!res.ok) {
    let message = text.trim();
    try {
      const body = JSON.parse(text) as { error?: string; message?: string };
      message = body.error ?? body.message ?? message;
    } catch {
      // plain text, as Loki answers query errors
    }
    throw new ApiError(res.status, message || `HTTP ${res.status}`);
  }
  return JSON.parse(text) as unknown;
}

/** Flatten Loki streams (categorize-labels form) into lines, newest first or oldest first. */
export function linesOfStreams(streams: readonly StreamJson[], direction: 'backward' | 'forward'): LogLine[] {
  const out: LogLine[] = [];
  for (const s of streams) {
    for (const [tsNs, line, meta] of s.values) {
      out.push({ tsNs, line, labels: s.stream, structuredMetadata: meta?.structuredMetadata ?? {}, parsed: meta?.parsed ?? {} });
    }
  }
  const sign = direction === 'backward' ? -1 : 1;
  return out.sort((a, b) => sign * compareNs(a.tsNs, b.tsNs));
}

/** Order of two decimal nanosecond strings. */
export function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Run `query` over [fromMs, toMs] with /loki/api/v1/query_range. */
export async function queryRange(
  query: string, fromMs: number, toMs: number, opts: { limit: number; direction: 'backward' | 'forward'; step?: string; tenant: string },
): Promise<RangeResult> {
  const params: Record<string, string> = {
    query, start: `${fromMs}000000`, end: `${toMs}000000`, limit: String(opts.limit), direction: opts.direction,
  };
  if (opts.step !== undefined) params.step = opts.step;
  const body = (await getJson('/loki/api/v1/query_range', params, opts.tenant, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' })) as {
    data: { resultType: string; result: unknown[]; stats?: { summary?: QuerySummary } };
  };
  const summary = body.data.stats?.summary ?? {};
  if (body.data.resultType === 'streams') return { kind: 'streams', lines: linesOfStreams(body.data.result as StreamJson[], opts.direction), summary };
  return { kind: 'matrix', series: body.data.result as MetricSeries[], summary };
}

/** The server's verdict on a query: null when it parses, else Loki's parse error message. */
export async function checkQuery(query: string, tenant: string): Promise<string | null> {
  try {
    await getJson('/loki/api/v1/format_query', { query }, tenant);
    return null;
  } catch (err) {
    return err instanceof ApiError && err.status === 400 ? err.message : null;
  }
}

/** Decode one tail frame (Loki's `{streams, dropped_entries}`) into lines, oldest first. */
export function linesOfTailFrame(frame: unknown): { lines: LogLine[]; dropped: number } {
  const f = frame as { streams?: StreamJson[]; dropped_entries?: unknown[] | null };
  return { lines: linesOfStreams(f.streams ?? [], 'forward'), dropped: f.dropped_entries?.length ?? 0 };
}
