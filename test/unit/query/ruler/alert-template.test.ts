import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertTemplateFunctions, compileAlertTemplate } from '../../../../query/ruler/alert-template.js';

const fns = alertTemplateFunctions('https://grafana.example/sub');
const data = { labels: { instance: 'web-1.example.com:9100', level: 'error' }, externalLabels: { cluster: 'eu' }, externalUrl: 'https://grafana.example/sub', value: 0.123456 };
const expand = (t: string, value = data.value) => compileAlertTemplate('A', t, fns).expand({ ...data, value }, 1_700_000_000_000);

// Values are what Prometheus' template functions give for these inputs (V:template/template.go,
// prometheus/common helpers/templates).
const cases = [
  { name: '$value', t: '{{ $value }}', want: '0.123456' },
  { name: '$labels and $externalLabels', t: '{{ $labels.level }}/{{ $externalLabels.cluster }}', want: 'error/eu' },
  { name: 'missing label reads empty', t: '[{{ $labels.nope }}]', want: '[]' },
  { name: 'humanize large', t: '{{ humanize 1234567 }}', want: '1.235M' },
  { name: 'humanize small', t: '{{ humanize 0.0012 }}', want: '1.2m' },
  { name: 'humanize zero', t: '{{ humanize 0 }}', want: '0' },
  { name: 'humanize1024', t: '{{ humanize1024 1048576 }}', want: '1Mi' },
  { name: 'humanizePercentage', t: '{{ humanizePercentage $value }}', want: '12.35%' },
  { name: 'humanizeDuration hours', t: '{{ humanizeDuration 3725 }}', want: '1h 2m 5s' },
  { name: 'humanizeDuration days', t: '{{ humanizeDuration 90061 }}', want: '1d 1h 1m 1s' },
  { name: 'humanizeDuration seconds', t: '{{ humanizeDuration 12.3456 }}', want: '12.35s' },
  { name: 'humanizeDuration sub-second', t: '{{ humanizeDuration 0.25 }}', want: '250ms' },
  { name: 'humanizeTimestamp', t: '{{ humanizeTimestamp 1700000000 }}', want: '2023-11-14 22:13:20 +0000 UTC' },
  { name: 'printf %.2f', t: '{{ printf "%.2f" $value }}', want: '0.12' },
  { name: 'printf %.3g', t: '{{ printf "%.3g" 1234.5 }}', want: '1.23e+03' },
  { name: 'toUpper, title', t: '{{ toUpper "a b" }} {{ title "hello wide world" }}', want: 'A B Hello Wide World' },
  { name: 'stripPort, stripDomain', t: '{{ stripPort $labels.instance }} {{ stripDomain $labels.instance }}', want: 'web-1.example.com web-1:9100' },
  { name: 'match, reReplaceAll', t: '{{ if match "^web" $labels.instance }}{{ reReplaceAll "-(\\\\d)" "#$1" $labels.instance }}{{ end }}', want: 'web#1.example.com:9100' },
  { name: 'externalURL, pathPrefix, $externalURL', t: '{{ externalURL }} {{ pathPrefix }} {{ $externalURL }}', want: 'https://grafana.example/sub /sub https://grafana.example/sub' },
  { name: 'parseDuration', t: '{{ parseDuration "1m30s" }}', want: '90' },
  { name: 'comparisons', t: '{{ if gt $value 0.1 }}high{{ else }}low{{ end }}', want: 'high' },
];
for (const c of cases) test(`alert template: ${c.name}`, () => assert.equal(expand(c.t), c.want));

test('alert template: parse errors carry Go\'s text', () => {
  assert.throws(() => compileAlertTemplate('A', '{{ query "x" }}', fns), /template: __alert_A:1: function "query" not defined/);
});
