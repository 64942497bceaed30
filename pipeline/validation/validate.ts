/**
 * Validation of a push against a tenant's limits, with Loki's checks, order and messages
 * (`L:pkg/distributor/validator.go`, `distributor.go`): labels per stream, then each entry; an
 * invalid entry or stream is dropped with an error while the rest goes on. Structured metadata
 * names are normalised and `detected_level` discovered. Pure: the time is an argument.
 */
import type { LimitsConfig } from '../../schemas/config/index.js';
import { FjordError, type DiscardReason } from '../../schemas/errors.js';
import { buildLabelName, isBuiltLabelName } from '../../schemas/go/index.js';
import type { PushEntry, PushRequest } from '../../schemas/record/index.js';
import { levelFromStreamLabels, withDetectedLevel } from './level-detection.js';
import { SERVICE_NAME, type Label, type StreamLabels } from '../../schemas/labels/index.js';

/** A refused stream or entry: Loki's reason and message. */
export interface Refusal {
  readonly reason: DiscardReason;
  readonly message: string;
}

/** A stream that passed validation, ready to be partitioned and produced. */
export interface ValidStream {
  readonly labels: StreamLabels;
  readonly entries: PushEntry[];
  /** Line plus structured metadata bytes of the entries kept (what rate limits count). */
  readonly bytes: number;
}

/** Lines and bytes dropped for one reason (a Loki discard reason). */
export interface Discard {
  readonly reason: DiscardReason;
  lines: number;
  bytes: number;
}

/** What validation kept and what it dropped. */
export interface ValidationOutcome {
  readonly streams: ValidStream[];
  /** One refusal per dropped stream or entry, in order (see groupErrors). */
  readonly errors: Refusal[];
  readonly discards: Discard[];
  /** Lines cut to max_line_size when max_line_size_truncate is on. */
  readonly truncated: { lines: number; bytes: number };
}

/** Per-call context: the tenant, its limits and the current time. */
export interface ValidationContext {
  readonly tenant: string;
  readonly limits: LimitsConfig;
  readonly nowMs: number;
}

/** Line bytes plus structured metadata bytes of an entry (Loki's EntryTotalSize). */
export function entryBytes(e: PushEntry): number {
  let n = e.line.length;
  const sm = e.structuredMetadata;
  for (let i = 0; i < sm.length; i++) {
    const l = sm[i] as Label;
    n += l.name.length + l.value.length;
  }
  return n;
}

function smBytes(sm: readonly Label[]): number {
  let n = 0;
  for (const l of sm) n += l.name.length + l.value.length;
  return n;
}

/** Go's time.Format(time.RFC3339) of a nanosecond timestamp, in UTC. */
export function formatRfc3339(tsNs: bigint): string {
  const ms = Number(tsNs / 1_000_000n) - (tsNs < 0n && tsNs % 1_000_000n !== 0n ? 1 : 0);
  const d = new Date(Math.floor(ms / 1000) * 1000);
  if (Number.isNaN(d.getTime())) return String(tsNs);
  return d.toISOString().replace('.000Z', 'Z');
}

/** Loki's GroupedErrors text: identical messages counted, `N errors like: …` joined with `; `. */
export function groupErrors(errors: readonly Refusal[]): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.message, (counts.get(e.message) ?? 0) + 1);
  const parts: string[] = [];
  for (const [msg, n] of counts) parts.push(counts.size > 1 || n > 1 ? `${n} errors like: ${msg}` : msg);
  return parts.join('; ');
}

function labelsError(ls: StreamLabels, limits: LimitsConfig): [reason: DiscardReason, message: string] | null {
  const labels = ls.labels;
  const raw = ls.text;
  if (labels.length === 0) return ['missing_labels', 'error at least one label pair is required per stream'];
  const names = labels.length - (labels.some((l) => l.name === SERVICE_NAME) ? 1 : 0);
  if (names > limits.max_label_names_per_series) {
    return ['max_label_names_per_series', `entry for stream '${raw}' has ${names} label names; limit ${limits.max_label_names_per_series}`];
  }
  let last = '';
  for (const l of labels) {
    if (l.name.length > limits.max_label_name_length) return ['label_name_too_long', `stream '${raw}' has label name too long: '${l.name}'`];
    if (l.value.length > limits.max_label_value_length) return ['label_value_too_long', `stream '${raw}' has label value too long: '${l.value}'`];
    if (l.name === last) return ['duplicate_label_names', `stream '${raw}' has duplicate label name: '${l.name}'`];
    last = l.name;
  }
  return null;
}

function entryError(e: PushEntry, stream: string, limits: LimitsConfig, oldestNs: bigint | null, newestNs: bigint): [reason: DiscardReason, message: string] | null {
  if (oldestNs !== null && e.tsNs < oldestNs) {
    return ['greater_than_max_sample_age', `entry for stream '${stream}' has timestamp too old: ${formatRfc3339(e.tsNs)}, oldest acceptable timestamp is: ${formatRfc3339(oldestNs)}`];
  }
  if (e.tsNs > newestNs) return ['too_far_in_future', `entry for stream '${stream}' has timestamp too new: ${formatRfc3339(e.tsNs)}`];
  const max = limits.max_line_size;
  if (max !== 0 && e.line.length > max) {
    return ['line_too_long', `max entry size '${max}' bytes exceeded for stream '${stream}' while adding an entry with length '${e.line.length}' bytes`];
  }
  const count = e.structuredMetadata.length;
  if (count > 0) {
    if (!limits.allow_structured_metadata) {
      return ['disallowed_structured_metadata', `stream '${stream}' includes structured metadata, but this feature is disallowed. Please see \`limits_config.allow_structured_metadata\` or contact your Loki administrator to enable it`];
    }
    const size = smBytes(e.structuredMetadata);
    if (limits.max_structured_metadata_size !== 0 && size > limits.max_structured_metadata_size) {
      return ['structured_metadata_too_large', `stream '${stream}' has structured metadata too large: '${size}' bytes, limit: '${limits.max_structured_metadata_size}' bytes. Please see \`limits_config.max_structured_metadata_size\` or contact your Loki administrator to increase it`];
    }
    if (limits.max_structured_metadata_entries_count !== 0 && count > limits.max_structured_metadata_entries_count) {
      return ['structured_metadata_too_many', `stream '${stream}' has too many structured metadata labels: '${count}', limit: '${limits.max_structured_metadata_entries_count}'. Please see \`limits_config.max_structured_metadata_entries_count\` or contact your Loki administrator to increase it`];
    }
  }
  return null;
}

/** The structured metadata name Loki stores for `name` (otlptranslator LabelNamer); throws FjordError('invalid_labels'). */
function metadataName(name: string): string {
  const built = buildLabelName(name);
  if (typeof built !== 'string') throw new FjordError('invalid_labels', built.error);
  return built;
}

function normalizeMetadata(sm: readonly Label[]): readonly Label[] {
  let plain = true;
  for (let i = 0; i < sm.length && plain; i++) {
    const l = sm[i] as Label;
    plain = isBuiltLabelName(l.name) && !l.value.includes('\uFFFD');
  }
  if (plain) return sm;
  const out = new Map<string, string>();
  for (const l of sm) out.set(metadataName(l.name), l.value.replaceAll('\uFFFD', ''));
  return [...out].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function truncate(entries: readonly PushEntry[], limits: LimitsConfig, acc: { lines: number; bytes: number }): readonly PushEntry[] {
  const max = limits.max_line_size;
  if (!limits.max_line_size_truncate || max === 0) return entries;
  return entries.map((e) => {
    if (e.line.length <= max) return e;
    acc.lines++;
    acc.bytes += e.line.length - max;
    return { tsNs: e.tsNs, line: e.line.subarray(0, max), structuredMetadata: e.structuredMetadata };
  });
}

/** Validate a push (whose label phase already ran: `labels[i]` belongs to `req.streams[i]`). */
export function validatePush(req: PushRequest, labels: readonly StreamLabels[], ctx: ValidationContext): ValidationOutcome {
  const { limits } = ctx;
  const errors: Refusal[] = [];
  const discards = new Map<DiscardReason, Discard>();
  const discard = (reason: DiscardReason, lines: number, bytes: number) => {
    const d = discards.get(reason) ?? { reason, lines: 0, bytes: 0 };
    d.lines += lines;
    d.bytes += bytes;
    discards.set(reason, d);
  };
  const nowNs = BigInt(ctx.nowMs) * 1_000_000n;
  const oldestNs = limits.reject_old_samples ? nowNs - BigInt(limits.reject_old_samples_max_age) * 1_000_000n : null;
  const newestNs = nowNs + BigInt(limits.creation_grace_period) * 1_000_000n;
  const truncated = { lines: 0, bytes: 0 };
  const streams: ValidStream[] = [];
  req.streams.forEach((stream, i) => {
    if (stream.entries.length === 0) return;
    const entries = truncate(stream.entries, limits, truncated);
    const ls = labels[i] as StreamLabels;
    const bad = labelsError(ls, limits);
    if (bad) {
      errors.push({ reason: bad[0], message: bad[1] });
      discard(bad[0], entries.length, entries.reduce((n, e) => n + entryBytes(e), 0));
      return;
    }
    const kept: PushEntry[] = [];
    const detectLevels = limits.discover_log_levels && limits.allow_structured_metadata;
    const streamLevel = detectLevels ? levelFromStreamLabels(ls.labels) : null;
    let bytes = 0;
    let prevTs = (entries[0] as PushEntry).tsNs;
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k] as PushEntry;
      const err = entryError(e, ls.text, limits, oldestNs, newestNs);
      if (err) {
        errors.push({ reason: err[0], message: err[1] });
        discard(err[0], 1, entryBytes(e));
        continue;
      }
      let sm = normalizeMetadata(e.structuredMetadata);
      if (detectLevels) sm = withDetectedLevel(streamLevel, sm, e.line);
      let tsNs = e.tsNs;
      const prev = kept[kept.length - 1];
      if (limits.increment_duplicate_timestamp && prev) {
        // Loki's rule: only lines that differ are nudged, so identical lines still de-duplicate.
        if (Buffer.compare(prev.line, e.line) !== 0 && (tsNs === prevTs || tsNs === prev.tsNs)) tsNs = prev.tsNs + 1n;
        else prevTs = tsNs;
      }
      let out: PushEntry = e;
      if (tsNs !== e.tsNs) out = { tsNs, line: e.line, structuredMetadata: sm };
      else if (sm !== e.structuredMetadata) out = e.wire === undefined ? { tsNs, line: e.line, structuredMetadata: sm } : { tsNs, line: e.line, structuredMetadata: sm, wire: e.wire };
      kept.push(out);
      bytes += entryBytes(out);
    }
    if (kept.length > 0) streams.push({ labels: ls, entries: kept, bytes });
  });
  return { streams, errors, discards: [...discards.values()], truncated };
}
