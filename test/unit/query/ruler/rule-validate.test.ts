import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertTemplateFunctions } from '../../../../query/ruler/alert-template.js';
import { parsePostedGroup, parseRuleFile } from '../../../../query/ruler/rule-file.js';

const fns = alertTemplateFunctions('');

// Each body POSTed to Loki's /loki/api/v1/rules/v and Loki's 400 answer (Loki 3 binary, main @65e30f8).
const LOKI_ANSWERS = [
  { name: 'LogQL parse error, with its position', body: 'name: g\nrules:\n  - alert: A\n    expr: sum(count_over_time({job="x"} |= [1m]))\n', want: "could not parse expression for alert 'A' in group 'g': parse error at line 0, col 34: syntax error: unexpected RANGE, expecting STRING or ip" },
  { name: 'record and alert', body: 'name: g\nrules:\n  - alert: A\n    record: r\n    expr: x\n', want: "only one of 'record' and 'alert' must be set" },
  { name: 'neither', body: 'name: g\nrules:\n  - expr: x\n', want: "one of 'record' or 'alert' must be set" },
  { name: 'no expr', body: 'name: g\nrules:\n  - alert: A\n', want: "field 'expr' must be set in rule" },
  { name: 'for on a recording rule', body: 'name: g\nrules:\n  - record: r\n    for: 1m\n    expr: sum(count_over_time({a="b"}[1m]))\n', want: "invalid field 'for' in recording rule" },
  { name: 'recording rule name', body: 'name: g\nrules:\n  - record: r-x\n    expr: sum(count_over_time({a="b"}[1m]))\n', want: 'invalid recording rule name: r-x' },
  { name: 'label name', body: 'name: g\nrules:\n  - alert: A\n    expr: sum(count_over_time({a="b"}[1m]))\n    labels:\n      "bad-name": x\n', want: 'invalid label name: bad-name' },
  { name: 'template function', body: 'name: g\nrules:\n  - alert: A\n    expr: sum(count_over_time({a="b"}[1m]))\n    annotations:\n      s: "{{ nosuchfn }}"\n', want: 'annotation "s": template: __alert_A:1: function "nosuchfn" not defined' },
  { name: 'template syntax', body: 'name: g\nrules:\n  - alert: A\n    expr: sum(count_over_time({a="b"}[1m]))\n    labels:\n      s: "{{ .Labels "\n', want: 'label "s": template: __alert_A:1: unclosed action' },
  { name: 'not YAML', body: 'name: g\nrules: [1, 2', want: 'unable to decoded rule group' },
  { name: 'first bad rule only, second rule', body: 'name: g\nrules:\n  - alert: A\n    expr: "{a=\\"b\\"}"\n  - record: r\n    expr: sum(\n', want: "could not parse expression for record 'r' in group 'g': parse error at line 1, col 5: syntax error: unexpected $end" },
  { name: 'bad interval', body: 'name: g\ninterval: 5x\nrules: []\n', want: 'unable to decoded rule group' },
  { name: 'no name', body: 'rules: []\n', want: 'group 0: Groupname must not be empty' },
  { name: 'annotations on a recording rule', body: 'name: g\nrules:\n  - record: r\n    annotations:\n      a: b\n    expr: sum(count_over_time({a="b"}[1m]))\n', want: "invalid field 'annotations' in recording rule" },
];
for (const c of LOKI_ANSWERS) {
  test(`parsePostedGroup answers as Loki: ${c.name}`, () => {
    const r = parsePostedGroup(c.body, 't', 'ns', fns);
    assert.equal(r.ok ? 'ok' : r.error, c.want);
  });
}

test('parsePostedGroup: a valid group, placed in its tenant and namespace', () => {
  const r = parsePostedGroup('name: g\ninterval: 30s\nrules:\n  - alert: A\n    expr: sum(count_over_time({a="b"}[1m])) > 1\n    for: 5m\n    keep_firing_for: 1m\n', 'team-a', 'ns', fns);
  assert.ok(r.ok);
  assert.equal(r.value.tenant, 'team-a');
  assert.equal(r.value.namespace, 'ns');
  assert.equal(r.value.intervalMs, 30_000);
  assert.deepEqual([r.value.rules[0]?.forMs, r.value.rules[0]?.keepFiringForMs], [300_000, 60_000]);
});

test('parseRuleFile: an error names the file, the line, the group and the rule, then the LogQL position', () => {
  const text = 'groups:\n  - name: errors\n    rules:\n      - record: ok:count\n        expr: sum(count_over_time({a="b"}[1m]))\n      - alert: HighErrors\n        expr: sum(count_over_time({job="x"} |= [1m])) > 5\n';
  const r = parseRuleFile(text, { tenant: 't', namespace: 'alerts.yaml', path: '/rules/t/alerts.yaml' }, fns);
  assert.equal(r.ok ? 'ok' : r.error, "error parsing /rules/t/alerts.yaml: line 6: group \"errors\", rule 2 (alert \"HighErrors\"): could not parse expression for alert 'HighErrors' in group 'errors': parse error at line 0, col 34: syntax error: unexpected RANGE, expecting STRING or ip");
});

test('parseRuleFile: duplicate group names and an empty name, as Loki', () => {
  const r = parseRuleFile('groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n  - name: ""\n    rules: []\n', { tenant: 't', namespace: 'n', path: 'p' }, fns);
  assert.equal(r.ok ? 'ok' : r.error, 'error parsing p: line 4: groupname: "a" is repeated in the same file; line 6: group 2: Groupname must not be empty');
});

test('parseRuleFile: strict YAML errors name the file', () => {
  const r = parseRuleFile('groups:\n  - name: a\n    rulez: []\n', { tenant: 't', namespace: 'n', path: '/r/t/n' }, fns);
  assert.equal(r.ok ? 'ok' : r.error, 'error parsing /r/t/n: yaml: unmarshal errors:\n  line 3: field rulez not found in type rulefmt.RuleGroup');
});

test('parseRuleFile: valid file, every group in the tenant\'s namespace', () => {
  const r = parseRuleFile('groups:\n  - name: a\n    rules:\n      - record: x:y\n        expr: sum(count_over_time({a="b"}[1m]))\n  - name: b\n    rules: []\n', { tenant: 't', namespace: 'n.yaml', path: 'p' }, fns);
  assert.ok(r.ok);
  assert.deepEqual(r.value.map((g) => [g.tenant, g.namespace, g.name, g.rules.length]), [['t', 'n.yaml', 'a', 1], ['t', 'n.yaml', 'b', 0]]);
});
