import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_OTLP_CONFIG, defaultOtlpConversion, otlpToPushRequest, type KeyValue, type OtlpConversion,
  type OtlpLogRecord, type OtlpLogsRequest,
} from '../../../../pipeline/index.js';
import type { PushRequest } from '../../../../schemas/record/index.js';
import { text } from '../../../helpers/bytes.js';

const NOW = 1_700_000_000_000_000_000n;

function view(req: PushRequest) {
  return req.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({ ts: e.tsNs, line: text(e.line), sm: e.structuredMetadata.map((l) => `${l.name}=${l.value}`) })),
  }));
}

function str(key: string, value: string): KeyValue {
  return { key, value: { kind: 'string', value } };
}

function rec(over: Partial<OtlpLogRecord> = {}): OtlpLogRecord {
  return {
    timeUnixNano: 5n, observedTimeUnixNano: 0n, severityNumber: 0, severityText: '', body: { kind: 'string', value: 'line' },
    attributes: [], droppedAttributesCount: 0, flags: 0, traceId: new Uint8Array(0), spanId: new Uint8Array(0), eventName: '', ...over,
  };
}

function request(resource: KeyValue[], records: OtlpLogRecord[], scope = { name: '', version: '', attributes: [] as KeyValue[], droppedAttributesCount: 0 }): OtlpLogsRequest {
  return { resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, scopeLogs: [{ scope, logRecords: records }] }] };
}

const cases: Array<{ name: string; req: OtlpLogsRequest; conv?: OtlpConversion; want: ReturnType<typeof view> }> = [
  {
    // Loki pkg/loghttp/push/otlp_test.go TestOTLPLogToPushEntry "all the values set": same metadata, same order.
    name: 'every record field, in Loki order',
    req: request([str('service.name', 'svc')], [rec({
      timeUnixNano: 100n, observedTimeUnixNano: 101n, severityNumber: 5, severityText: 'debug', droppedAttributesCount: 1, flags: 1,
      traceId: Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78]),
      spanId: Uint8Array.from([0x12, 0x23, 0xad, 0x12, 0x23, 0xad, 0x12, 0x23]), eventName: 'my.event', attributes: [str('foo', 'bar')], body: { kind: 'string', value: 'log body' },
    })]),
    want: [{ labels: '{service_name="svc"}', entries: [{ ts: 100n, line: 'log body', sm: [
      'foo=bar', 'observed_timestamp=101', 'severity_number=5', 'severity_text=debug', 'dropped_attributes_count=1', 'flags=1',
      'trace_id=12345678123456781234567812345678', 'span_id=1223ad1223ad1223', 'event_name=my.event',
    ] }] }],
  },
  {
    name: 'event_name attribute loses to the field (Loki test "OTLP field wins")',
    req: request([str('service.name', 'svc')], [rec({ eventName: 'otlp.field', attributes: [str('event_name', 'attribute.value')] })]),
    want: [{ labels: '{service_name="svc"}', entries: [{ ts: 5n, line: 'line', sm: ['event_name=otlp.field'] }] }],
  },
  {
    name: 'default promoted resource attributes are labels, others metadata after the record\'s, then scope',
    req: request(
      [str('service.name', 'checkout'), str('k8s.pod.name', 'pod-1'), str('deployment.environment', 'prod'), str('host.name', 'h1')],
      [rec({ attributes: [str('http.method', 'GET')] })],
      { name: 'lib', version: '1.0', attributes: [str('scope.attr', 's')], droppedAttributesCount: 2 },
    ),
    want: [{ labels: '{deployment_environment="prod", k8s_pod_name="pod-1", service_name="checkout"}', entries: [{ ts: 5n, line: 'line', sm: [
      'http_method=GET', 'host_name=h1', 'scope_attr=s', 'scope_name=lib', 'scope_version=1.0', 'scope_dropped_attributes_count=2',
    ] }] }],
  },
  {
    name: 'no service.name: service_name discovered from a promoted label',
    req: request([str('k8s.container.name', 'app')], [rec()]),
    want: [{ labels: '{k8s_container_name="app", service_name="app"}', entries: [{ ts: 5n, line: 'line', sm: [] }] }],
  },
  {
    name: 'no service.name and nothing to discover: unknown_service',
    req: request([str('host.name', 'h1')], [rec()]),
    want: [{ labels: '{service_name="unknown_service"}', entries: [{ ts: 5n, line: 'line', sm: ['host_name=h1'] }] }],
  },
  {
    name: 'timestamp falls back to the observed time, then to the receive time',
    req: request([str('service.name', 's')], [rec({ timeUnixNano: 0n, observedTimeUnixNano: 7n }), rec({ timeUnixNano: 0n })]),
    want: [{ labels: '{service_name="s"}', entries: [{ ts: 7n, line: 'line', sm: [] }, { ts: NOW, line: 'line', sm: [] }] }],
  },
  {
    name: 'non-string bodies as pdata prints them',
    req: request([str('service.name', 's')], [
      rec({ body: { kind: 'int', value: 10n } }), rec({ body: { kind: 'kvlist', values: [str('b', '1'), str('a', '2')] } }), rec({ body: { kind: 'empty' } }),
    ]),
    want: [{ labels: '{service_name="s"}', entries: [{ ts: 5n, line: '10', sm: [] }, { ts: 5n, line: '{"a":"2","b":"1"}', sm: [] }, { ts: 5n, line: '', sm: [] }] }],
  },
  {
    name: 'log attributes as index labels split streams; severity_text as a label',
    req: request([str('service.name', 's')], [rec({ attributes: [str('tenant.tier', 'gold')], severityText: 'INFO' }), rec()]),
    conv: {
      ...defaultOtlpConversion(NOW),
      config: { ...DEFAULT_OTLP_CONFIG, log_attributes: [{ action: 'index_label', attributes: ['tenant.tier'] }], severity_text_as_label: true },
    },
    want: [
      { labels: '{service_name="s"}', entries: [{ ts: 5n, line: 'line', sm: [] }] },
      { labels: '{service_name="s", severity_text="INFO", tenant_tier="gold"}', entries: [{ ts: 5n, line: 'line', sm: ['severity_text=INFO'] }] },
    ],
  },
  {
    name: 'drop rules and a custom promoted list, ignoring defaults; regex rules',
    req: request([str('service.name', 's'), str('team', 't'), str('secret.token', 'x')], [rec()]),
    conv: {
      ...defaultOtlpConversion(NOW),
      config: { ...DEFAULT_OTLP_CONFIG, resource_attributes: { ignore_defaults: true, attributes_config: [{ action: 'index_label', attributes: ['team'] }, { action: 'drop', regex: /^secret\..*$/ }] } },
    },
    want: [{ labels: '{team="t"}', entries: [{ ts: 5n, line: 'line', sm: ['service_name=s'] }] }],
  },
  {
    name: 'no labels at all (discovery off): one stream with empty label text',
    req: request([], [rec()]),
    conv: { ...defaultOtlpConversion(NOW), discoverServiceName: [] },
    want: [{ labels: '', entries: [{ ts: 5n, line: 'line', sm: [] }] }],
  },
  { name: 'no records: empty request', req: request([str('service.name', 's')], []), want: [] },
];
for (const c of cases) {
  test(`otlpToPushRequest: ${c.name}`, () => assert.deepEqual(view(otlpToPushRequest(c.req, c.conv ?? defaultOtlpConversion(NOW))), c.want));
}

test('otlpToPushRequest: two resources with the same labels share a stream, entries in record order', () => {
  const req: OtlpLogsRequest = { resourceLogs: [
    request([str('service.name', 'a')], [rec({ body: { kind: 'string', value: '1' } })]).resourceLogs[0]!,
    request([str('service.name', 'b')], [rec({ body: { kind: 'string', value: '2' } })]).resourceLogs[0]!,
    request([str('service.name', 'a')], [rec({ body: { kind: 'string', value: '3' } })]).resourceLogs[0]!,
  ] };
  assert.deepEqual(view(otlpToPushRequest(req, defaultOtlpConversion(NOW))).map((s) => [s.labels, s.entries.map((e) => e.line)]), [
    ['{service_name="a"}', ['1', '3']],
    ['{service_name="b"}', ['2']],
  ]);
});
