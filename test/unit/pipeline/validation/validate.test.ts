import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig, type LimitsConfig } from '../../../../schemas/config/index.js';
import type { PushRequest } from '../../../../schemas/record/index.js';
import { parseStreamLabels } from '../../../../schemas/labels/index.js';
import { formatRfc3339, groupErrors, validatePush } from '../../../../pipeline/validation/validate.js';

// Messages are Loki's (pkg/validation/validate.go, pkg/distributor/validator.go).
const NOW_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
const NOW_NS = BigInt(NOW_MS) * 1_000_000n;
const base = buildConfig({ file: null, flags: [] }).limits_config;
const limits = (over: Partial<Record<keyof LimitsConfig, unknown>> = {}): LimitsConfig => ({ ...base, ...over }) as LimitsConfig;
const line = (s: string) => Buffer.from(s);

function run(req: PushRequest, l: LimitsConfig = limits()) {
  const labels = req.streams.map((s) => parseStreamLabels(s.labels, l.discover_service_name));
  return validatePush(req, labels, { tenant: 't', limits: l, nowMs: NOW_MS });
}

test('valid entries pass; service_name and detected_level are added', () => {
  const out = run({ streams: [{ labels: '{app="a"}', entries: [{ tsNs: NOW_NS, line: line('level=warn x'), structuredMetadata: [] }] }] });
  assert.deepEqual(out.errors, []);
  assert.equal(out.streams[0]?.labels.text, '{app="a", service_name="a"}');
  assert.deepEqual(out.streams[0]?.entries[0]?.structuredMetadata, [{ name: 'detected_level', value: 'warn' }]);
});

test('an invalid stream is dropped, the valid one kept (Loki writes the valid streams)', () => {
  const big = 'x'.repeat(300);
  const out = run({
    streams: [
      { labels: '{app="ok"}', entries: [{ tsNs: NOW_NS, line: line('fine'), structuredMetadata: [] }] },
      { labels: `{app="bad", v="${big}"}`, entries: [{ tsNs: NOW_NS, line: line('x'), structuredMetadata: [] }] },
    ],
  }, limits({ max_label_value_length: 100 }));
  assert.equal(out.streams.length, 1);
  assert.equal(out.errors.length, 1);
  assert.deepEqual(out.errors[0], { reason: 'label_value_too_long', message: `stream '{app="bad", service_name="bad", v="${big}"}' has label value too long: '${big}'` });
  assert.deepEqual(out.discards, [{ reason: 'label_value_too_long', lines: 1, bytes: 1 }]);
});

const entryCases = [
  {
    name: 'too old',
    tsNs: NOW_NS - 8n * 86_400_000_000_000n,
    reason: 'greater_than_max_sample_age',
    message: `entry for stream '{app="a", service_name="a"}' has timestamp too old: 2024-04-23T12:00:00Z, oldest acceptable timestamp is: 2024-04-24T12:00:00Z`,
  },
  {
    name: 'too new',
    tsNs: NOW_NS + 11n * 60_000_000_000n,
    reason: 'too_far_in_future',
    message: `entry for stream '{app="a", service_name="a"}' has timestamp too new: 2024-05-01T12:11:00Z`,
  },
];
for (const c of entryCases) {
  test(`entry refused: ${c.name}`, () => {
    const out = run({ streams: [{ labels: '{app="a"}', entries: [{ tsNs: c.tsNs, line: line('x'), structuredMetadata: [] }] }] });
    assert.deepEqual(out.errors, [{ reason: c.reason, message: c.message }]);
    assert.equal(out.discards[0]?.reason, c.reason);
    assert.equal(out.streams.length, 0);
  });
}

test('line too long: rejected, or truncated when max_line_size_truncate', () => {
  const req: PushRequest = { streams: [{ labels: '{app="a"}', entries: [{ tsNs: NOW_NS, line: line('0123456789'), structuredMetadata: [] }] }] };
  const rejected = run(req, limits({ max_line_size: 5 }));
  assert.deepEqual(rejected.errors, [{ reason: 'line_too_long', message: `max entry size '5' bytes exceeded for stream '{app="a", service_name="a"}' while adding an entry with length '10' bytes` }]);
  const cut = run(req, limits({ max_line_size: 5, max_line_size_truncate: true }));
  assert.deepEqual(cut.errors, []);
  assert.equal(Buffer.from(cut.streams[0]?.entries[0]?.line ?? []).toString(), '01234');
  assert.deepEqual(cut.truncated, { lines: 1, bytes: 5 });
});

test('label checks: missing labels, too many names, name too long, duplicates', () => {
  const e = [{ tsNs: NOW_NS, line: line('x'), structuredMetadata: [] }];
  const empty = run({ streams: [{ labels: '{}', entries: e }] });
  assert.deepEqual([empty.errors, empty.streams.map((s) => s.labels.text)], [[], ['{service_name="unknown_service"}']], 'an empty label set is filed under unknown_service, as Loki');
  assert.deepEqual(run({ streams: [{ labels: '{}', entries: e }] }, limits({ discover_service_name: [] })).errors, [{ reason: 'missing_labels', message: 'error at least one label pair is required per stream' }]);
  const many = `{${Array.from({ length: 16 }, (_, i) => `l${String(i).padStart(2, '0')}="v"`).join(', ')}}`;
  assert.match(run({ streams: [{ labels: many, entries: e }] }).errors[0]?.message ?? '', /has 16 label names; limit 15$/);
  assert.match(run({ streams: [{ labels: '{aaaaaa="v"}', entries: e }] }, limits({ max_label_name_length: 3 })).errors[0]?.message ?? '', /has label name too long: 'aaaaaa'$/);
  assert.match(run({ streams: [{ labels: '{a="1", a="2"}', entries: e }] }).errors[0]?.message ?? '', /has duplicate label name: 'a'$/);
  assert.deepEqual([run({ streams: [{ labels: many, entries: e }] }), run({ streams: [{ labels: '{aaaaaa="v"}', entries: e }] }, limits({ max_label_name_length: 3 })), run({ streams: [{ labels: '{a="1", a="2"}', entries: e }] })].map((o) => o.errors[0]?.reason),
    ['max_label_names_per_series', 'label_name_too_long', 'duplicate_label_names']);
});

test('structured metadata: disallowed, too large, too many; names normalised', () => {
  const sm = [{ name: 'trace.id', value: 'abc' }, { name: 'k', value: 'v' }];
  const req: PushRequest = { streams: [{ labels: '{app="a"}', entries: [{ tsNs: NOW_NS, line: line('x'), structuredMetadata: sm }] }] };
  assert.match(run(req, limits({ allow_structured_metadata: false })).errors[0]?.message ?? '', /includes structured metadata, but this feature is disallowed/);
  assert.match(run(req, limits({ max_structured_metadata_size: 5 })).errors[0]?.message ?? '', /has structured metadata too large: '13' bytes, limit: '5' bytes/);
  assert.match(run(req, limits({ max_structured_metadata_entries_count: 1 })).errors[0]?.message ?? '', /has too many structured metadata labels: '2', limit: '1'/);
  assert.deepEqual([limits({ allow_structured_metadata: false }), limits({ max_structured_metadata_size: 5 }), limits({ max_structured_metadata_entries_count: 1 })].map((l) => run(req, l).errors[0]?.reason),
    ['disallowed_structured_metadata', 'structured_metadata_too_large', 'structured_metadata_too_many']);
  const ok = run(req, limits({ discover_log_levels: false }));
  assert.deepEqual(ok.streams[0]?.entries[0]?.structuredMetadata, [{ name: 'k', value: 'v' }, { name: 'trace_id', value: 'abc' }]);
});

test('increment_duplicate_timestamp nudges equal timestamps of different lines only', () => {
  const e = (s: string) => ({ tsNs: NOW_NS, line: line(s), structuredMetadata: [] });
  const out = run({ streams: [{ labels: '{app="a"}', entries: [e('a'), e('b'), e('b')] }] }, limits({ increment_duplicate_timestamp: true, discover_log_levels: false }));
  // Loki compares with the previous kept entry: the second 'b' equals the (nudged) first 'b', so it keeps its own timestamp.
  assert.deepEqual(out.streams[0]?.entries.map((x) => x.tsNs - NOW_NS), [0n, 1n, 0n]);
});

test('groupErrors: Loki\'s grouped form', () => {
  const r = (message: string) => ({ reason: 'line_too_long' as const, message });
  assert.equal(groupErrors([r('a')]), 'a');
  assert.equal(groupErrors([r('a'), r('a')]), '2 errors like: a');
  assert.equal(groupErrors([r('a'), r('b'), r('a')]), '2 errors like: a; 1 errors like: b');
});

test('formatRfc3339 prints seconds in UTC as Go does', () => {
  assert.equal(formatRfc3339(1_714_564_800_123_456_789n), '2024-05-01T12:00:00Z');
});
