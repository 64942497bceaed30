import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRuleFile, decodeRuleGroup, RuleYamlError } from '../../../../query/ruler/rule-yaml-decode.js';
import { encodeNamespaces, encodeRuleGroup, yamlScalar } from '../../../../query/ruler/rule-yaml-encode.js';
import { ruleDesc, type RuleGroupDesc } from '../../../../query/ruler/rule-group.js';

const LOKI_GROUP: RuleGroupDesc = {
  name: 'errors', namespace: 'ns 1.yaml', tenant: 'team-a', intervalMs: 10_000, limit: 3,
  rules: [
    ruleDesc({ alert: 'HighErrors', expr: 'sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5', forMs: 60_000,
      labels: { severity: 'page', b: '{{ $labels.level }}' }, annotations: { summary: '{{ $value }} errors: at {{ $labels.level }}' } }),
    ruleDesc({ record: 'job:errors:count', expr: 'sum(count_over_time({job="x"}[1m]))', labels: { team: 'yes' } }),
  ],
};

// Loki's answers to GET …/rules/ns%201.yaml/errors and GET …/rules for this group (Loki 3 binary).
const LOKI_GET_GROUP = `name: errors
interval: 10s
limit: 3
rules:
    - alert: HighErrors
      expr: sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5
      for: 1m
      labels:
        b: '{{ $labels.level }}'
        severity: page
      annotations:
        summary: '{{ $value }} errors: at {{ $labels.level }}'
    - record: job:errors:count
      expr: sum(count_over_time({job="x"}[1m]))
      labels:
        team: "yes"
`;
const LOKI_LIST = `ns 1.yaml:
    - name: errors
      interval: 10s
      limit: 3
      rules:
        - alert: HighErrors
          expr: sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5
          for: 1m
          labels:
            b: '{{ $labels.level }}'
            severity: page
          annotations:
            summary: '{{ $value }} errors: at {{ $labels.level }}'
        - record: job:errors:count
          expr: sum(count_over_time({job="x"}[1m]))
          labels:
            team: "yes"
ns1:
    - name: g
      rules:
        - record: x
          expr: sum(count_over_time({job="x"}[1m]))
`;

test('encodeRuleGroup: byte for byte what Loki answers for one group', () => {
  assert.equal(encodeRuleGroup(LOKI_GROUP), LOKI_GET_GROUP);
});

test('encodeNamespaces: byte for byte what Loki answers for a list', () => {
  const g: RuleGroupDesc = { name: 'g', namespace: 'ns1', tenant: 'team-a', intervalMs: 0, limit: 0, rules: [ruleDesc({ record: 'x', expr: 'sum(count_over_time({job="x"}[1m]))' })] };
  assert.equal(encodeNamespaces(new Map([['ns1', [g]], ['ns 1.yaml', [LOKI_GROUP]]])), LOKI_LIST);
});

test('encode then decode gives the group back (keep_firing_for too, which Fjord keeps)', () => {
  const g = { ...LOKI_GROUP, rules: [{ ...(LOKI_GROUP.rules[0] as RuleGroupDesc['rules'][number]), keepFiringForMs: 120_000 }, ...LOKI_GROUP.rules.slice(1)] };
  const back = decodeRuleGroup(encodeRuleGroup(g));
  assert.deepEqual({ name: back.name, intervalMs: back.intervalMs, limit: back.limit, rules: back.rules }, { name: g.name, intervalMs: g.intervalMs, limit: g.limit, rules: g.rules });
  assert.match(encodeRuleGroup(g), /keep_firing_for: 2m\n/);
});

const scalars = [
  { name: 'plain word', in: 'page', want: 'page' },
  { name: 'LogQL with a brace inside', in: 'sum(count_over_time({a="b"}[1m])) > 5', want: 'sum(count_over_time({a="b"}[1m])) > 5' },
  { name: 'starts with a brace', in: '{a="b"}', want: `'{a="b"}'` },
  { name: 'a quote inside single quotes', in: "{{ 'x' }}", want: "'{{ ''x'' }}'" },
  { name: 'reads as a bool', in: 'yes', want: '"yes"' },
  { name: 'reads as a number', in: '2', want: '"2"' },
  { name: 'empty', in: '', want: '""' },
  { name: 'colon space', in: 'a: b', want: "'a: b'" },
  { name: 'line break', in: 'a\nb', want: '"a\\nb"' },
  { name: 'leading space', in: ' a', want: "' a'" },
];
for (const c of scalars) test(`yamlScalar: ${c.name}`, () => assert.equal(yamlScalar(c.in), c.want));

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RuleYamlError);
    return err.message;
  }
  assert.fail('expected a RuleYamlError');
}

const fileErrors = [
  { name: 'unknown group field (strict, as Loki\'s KnownFields)', text: 'groups:\n  - name: g\n    rulez: []\n', want: 'yaml: unmarshal errors:\n  line 3: field rulez not found in type rulefmt.RuleGroup' },
  { name: 'unknown rule field', text: 'groups:\n  - name: g\n    rules:\n      - alert: a\n        exp: x\n', want: 'yaml: unmarshal errors:\n  line 5: field exp not found in type rulefmt.Rule' },
  { name: 'unknown top-level field', text: 'namespace: x\ngroups: []\n', want: 'yaml: unmarshal errors:\n  line 1: field namespace not found in type rulefmt.RuleGroups' },
  { name: 'bad duration', text: 'groups:\n  - name: g\n    interval: 5x\n    rules: []\n', want: 'yaml: unmarshal errors:\n  line 3: unknown unit "x" in duration "5x"' },
  { name: 'list where a string goes', text: 'groups:\n  - name: [a]\n    rules: []\n', want: 'yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string' },
  { name: 'string where the rule list goes', text: 'groups:\n  - name: g\n    rules: x\n', want: 'yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `x` into []rulefmt.Rule' },
  { name: 'YAML syntax', text: 'groups:\n  - name: g\n    rules: [a\n', want: /^yaml: line \d+: / },
];
for (const c of fileErrors) {
  test(`decodeRuleFile refuses: ${c.name}`, () => {
    const msg = errorOf(() => decodeRuleFile(c.text));
    if (typeof c.want === 'string') assert.equal(msg, c.want);
    else assert.match(msg, c.want);
  });
}

test('decodeRuleFile: groups and rules keep their lines; query_offset and group labels are read and dropped', () => {
  const groups = decodeRuleFile('groups:\n  - name: a\n    query_offset: 1m\n    labels: { x: y }\n    rules:\n      - record: r\n        expr: e\n  - name: b\n    rules: []\n');
  assert.deepEqual(groups.map((g) => [g.name, g.line, g.ruleLines]), [['a', 2, [6]], ['b', 8, []]]);
  assert.deepEqual(decodeRuleFile(''), []);
});

test('decodeRuleGroup: unknown keys are ignored (lokitool adds remote_write)', () => {
  const g = decodeRuleGroup('name: g\nremote_write:\n  - url: http://x\nrules:\n  - record: r\n    expr: e\n    labels:\n      n: 5\n');
  assert.equal(g.name, 'g');
  assert.deepEqual(g.rules[0]?.labels, { n: '5' });
});
