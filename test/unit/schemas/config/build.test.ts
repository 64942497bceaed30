import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { buildConfig, listFields, printableConfig, type FjordConfig } from '../../../../schemas/config/index.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FjordError && err.code === 'invalid_config', String(err));
    return err.message;
  }
  assert.fail('expected an invalid_config error');
}

test('defaults are Loki\'s where Loki has the knob', () => {
  const cfg = buildConfig({ file: null, flags: [] });
  assert.equal(cfg.target, 'all');
  assert.equal(cfg.auth_enabled, true);
  assert.equal(cfg.server.http_listen_port, 3100);
  assert.equal(cfg.ingester.chunk_target_size, 1_572_864);
  assert.equal(cfg.ingester.chunk_block_size, 262_144);
  assert.equal(cfg.ingester.max_chunk_age, 2 * 3_600_000);
  assert.equal(cfg.ingester.chunk_idle_period, 30 * 60_000);
  assert.equal(cfg.ingester.wal.replay_memory_ceiling, 4 * 1024 ** 3);
  assert.equal(cfg.query_range.max_retries, 5);
  assert.equal(cfg.limits_config.max_line_size, 256 * 1024);
  assert.equal(cfg.limits_config.reject_old_samples_max_age, 168 * 3_600_000);
  assert.equal(cfg.limits_config.max_entries_limit_per_query, 5000);
  assert.equal(cfg.kafka_config.producer_max_record_size_bytes, 15_983_616);
  assert.deepEqual(cfg.kafka_config.address, []);
  assert.deepEqual(
    { ...cfg.pattern_ingester },
    { enabled: false, flush_check_period: 60_000, max_clusters: 300, max_eviction_ratio: 0.25, max_allowed_line_length: 3000, retain_for: 3 * 3_600_000, max_chunk_age: 3_600_000, pattern_sample_interval: 10_000 },
  );
});

test('pattern_ingester: Loki\'s flags, and its checks of retain_for and max_chunk_age', () => {
  const cfg = buildConfig({ file: null, flags: [['pattern-ingester.enabled', true], ['pattern-ingester.sample-interval', '30s'], ['pattern-ingester.retain-for', '2h']] });
  assert.equal(cfg.pattern_ingester.enabled, true);
  assert.equal(cfg.pattern_ingester.pattern_sample_interval, 30_000);
  assert.equal(cfg.pattern_ingester.retain_for, 7_200_000);
  assert.match(errorOf(() => buildConfig({ file: { pattern_ingester: { retain_for: '30m' } }, flags: [] })), /retain-for \(30m0s\) must be greater than or equal to chunk-duration \(1h0m0s\)/);
  assert.match(errorOf(() => buildConfig({ file: { pattern_ingester: { max_chunk_age: '5s' } }, flags: [] })), /chunk-duration \(5s\) must be greater than or equal to sample-interval \(10s\)/);
});

test('YAML values, then flags, in Loki\'s forms', () => {
  const cfg = buildConfig({
    file: { auth_enabled: false, ingester: { chunk_idle_period: '1h', chunk_target_size: '2MB' }, kafka_config: { address: ['k1:9092', 'k2:9092'] } },
    flags: [['ingester.chunks-idle-period', '5m'], ['auth.enabled', true], ['target', 'write']],
  });
  assert.equal(cfg.ingester.chunk_idle_period, 300_000);
  assert.equal(cfg.ingester.chunk_target_size, 2 * 1024 * 1024);
  assert.equal(cfg.auth_enabled, true);
  assert.equal(cfg.target, 'write');
  assert.deepEqual(cfg.kafka_config.address, ['k1:9092', 'k2:9092']);
});

test('a comma-separated flag sets a list', () => {
  const cfg = buildConfig({ file: null, flags: [['kafka.address', 'a:1,b:2']] });
  assert.deepEqual(cfg.kafka_config.address, ['a:1', 'b:2']);
});

test('the built config is frozen', () => {
  const cfg = buildConfig({ file: null, flags: [] }) as { -readonly [K in keyof FjordConfig]: FjordConfig[K] };
  assert.throws(() => {
    (cfg as { target: string }).target = 'x';
  });
  assert.ok(Object.isFrozen(cfg.ingester));
});

const badCases = [
  { name: 'unknown key names the path and what is known', file: { ingester: { chunk_target_sizee: 1 } }, flags: [], want: /^ingester\.chunk_target_sizee: unknown key \(known here: .*chunk_target_size/ },
  { name: 'bad duration names key and value', file: { ingester: { max_chunk_age: '2x' } }, flags: [], want: /^ingester\.max_chunk_age: "2x" is not a duration/ },
  { name: 'bad enum lists the allowed values', file: { ingester: { chunk_encoding: 'lz4' } }, flags: [], want: /^ingester\.chunk_encoding: "lz4" is not one of zstd, gzip, snappy, none$/ },
  { name: 'below minimum', file: { server: { http_listen_port: -1 } }, flags: [], want: /^server\.http_listen_port: -1 is below the minimum 0$/ },
  { name: 'section that is not a mapping', file: { server: 3 }, flags: [], want: /^server: expected a mapping of keys, got 3$/ },
  { name: 'unknown flag', file: null, flags: [['no.such-flag', '1'] as const], want: /^flag provided but not defined: -no\.such-flag$/ },
  { name: 'flag value', file: null, flags: [['target', 'everything'] as const], want: /^-target \(target\): "everything" is not one of all, distributor/ },
  { name: 'non-bool flag without a value', file: null, flags: [['ingester.max-chunk-age', true] as const], want: /^flag needs an argument: -ingester\.max-chunk-age$/ },
  { name: 'sasl needs both', file: { kafka_config: { sasl_username: 'u' } }, flags: [], want: /sasl_username and kafka_config\.sasl_password: set both or neither/ },
  { name: 'heartbeat below the session timeout', file: { kafka_config: { consumer_session_timeout: '6s', consumer_heartbeat_interval: '6s' } }, flags: [], want: /^kafka_config\.consumer_heartbeat_interval: must be below kafka_config\.consumer_session_timeout$/ },
  { name: 'broker address form', file: { kafka_config: { address: 'nohostport' } }, flags: [], want: /^kafka_config\.address: "nohostport" is not a list of host:port$/ },
];
for (const c of badCases) {
  test(`buildConfig rejects: ${c.name}`, () => {
    const msg = errorOf(() => buildConfig({ file: c.file, flags: c.flags }));
    assert.match(msg, c.want);
  });
}

test('every problem is reported, one line each', () => {
  const msg = errorOf(() => buildConfig({ file: { ingester: { max_chunk_age: 'x', chunk_encoding: 'y' } }, flags: [] }));
  assert.equal(msg.split('\n').length, 2);
});

test('flags are unique and every field has help', () => {
  const fields = listFields();
  const flags = fields.map((f) => f.field.flag).filter((f) => f !== '');
  assert.equal(new Set(flags).size, flags.length, 'duplicate flag');
  for (const f of fields) assert.ok(f.field.help.length > 10, `${f.path.join('.')} has no help`);
});

test('printable config masks secrets and prints durations in Loki form', () => {
  const cfg = buildConfig({ file: { kafka_config: { sasl_username: 'u', sasl_password: 'hunter2' } }, flags: [] });
  const out = printableConfig(cfg) as { kafka_config: Record<string, unknown>; ingester: Record<string, unknown> };
  assert.equal(out.kafka_config.sasl_password, '********');
  assert.equal(out.ingester.max_chunk_age, '2h');
  assert.ok(!JSON.stringify(out).includes('hunter2'));
});

const RETENTION_STREAM_CASES = [
  {
    name: 'rules with Loki durations',
    raw: [{ selector: '{namespace="dev"}', priority: 1, period: '24h' }, { selector: '{container="nginx"}', period: '31d' }],
    want: [{ selector: '{namespace="dev"}', priority: 1, period: 86_400_000 }, { selector: '{container="nginx"}', priority: 0, period: 31 * 86_400_000 }],
  },
  { name: 'a period under 24h', raw: [{ selector: '{a="b"}', period: '12h' }], error: /limits_config\.retention_stream: \[0\]\.period: retention period must be >= 24h was 12h/ },
  { name: 'not a selector', raw: [{ selector: 'namespace=dev', period: '24h' }], error: /\[0\]\.selector: "namespace=dev" is not a stream selector/ },
  { name: 'an unknown key', raw: [{ selector: '{a="b"}', period: '24h', tenant: 'x' }], error: /\[0\]\.tenant: unknown key/ },
  { name: 'not a list', raw: 'x', error: /"x" is not a list of \{selector, priority, period\}/ },
] as const;

for (const c of RETENTION_STREAM_CASES) {
  test(`limits_config.retention_stream: ${c.name}`, () => {
    const build = () => buildConfig({ file: { limits_config: { retention_stream: c.raw } }, flags: [] });
    if ('error' in c) assert.match(errorOf(build), c.error);
    else assert.deepEqual(build().limits_config.retention_stream, c.want);
  });
}

test('limits_config.retention_stream is YAML only, prints its periods in Loki form, and is absent from the flags', () => {
  const cfg = buildConfig({ file: { limits_config: { retention_stream: [{ selector: '{a="b"}', priority: 2, period: '48h' }] } }, flags: [] });
  const out = printableConfig(cfg) as { limits_config: { retention_stream: unknown } };
  assert.deepEqual(out.limits_config.retention_stream, [{ selector: '{a="b"}', priority: 2, period: '48h' }]);
  assert.match(errorOf(() => buildConfig({ file: null, flags: [['', 'x']] })), /flag provided but not defined/);
});
