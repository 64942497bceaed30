import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine } from '../../../../platform/runtime/cli.js';

const cases = [
  { name: 'equals form', argv: ['-target=write'], flags: [['target', 'write']], control: {} },
  { name: 'double dash', argv: ['--target=read'], flags: [['target', 'read']], control: {} },
  { name: 'separate value for a non-bool flag', argv: ['-ingester.max-chunk-age', '1h'], flags: [['ingester.max-chunk-age', '1h']], control: {} },
  { name: 'bool flag alone', argv: ['-auth.enabled', '-target=all'], flags: [['auth.enabled', true], ['target', 'all']], control: {} },
  { name: 'control flags', argv: ['-config.file', 'f.yaml', '-print-config'], flags: [], control: { 'config.file': 'f.yaml', 'print-config': true } },
];
for (const c of cases) {
  test(`parseCommandLine: ${c.name}`, () => {
    const cli = parseCommandLine(c.argv);
    assert.deepEqual(cli.flags, c.flags);
    assert.deepEqual(cli.control, c.control);
    assert.deepEqual(cli.command, []);
  });
}

test('parseCommandLine: leading words are a subcommand with its own arguments', () => {
  const cli = parseCommandLine(['index', 'rebuild', '--from', '2024-01-01']);
  assert.deepEqual(cli.command, ['index', 'rebuild']);
  assert.deepEqual(cli.rest, ['--from', '2024-01-01']);
});
