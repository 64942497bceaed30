/**
 * Parser hints and the presence pre-check are shortcuts: over random lines, a hinted parser gives
 * every needed label the value an unhinted parser gives it, a key the shortcut skips never
 * sanitises to a needed name, and a line the pre-check drops never gets the label.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeLabelKey } from '../../../../../schemas/go/index.js';
import { parseJsonLine, requiredKeyName } from '../../../../../query/logql/stages/json-parsers.js';
import { keyNames } from '../../../../../query/logql/stages/key-names.js';
import { mayHaveLabel, PresenceGate, presenceCheck } from '../../../../../query/logql/stages/label-presence.js';
import { LabelsBuilder } from '../../../../../query/logql/stages/labels-builder.js';
import { parseLogfmtLine } from '../../../../../query/logql/stages/logfmt-parser.js';
import { parserHints } from '../../../../../query/logql/stages/parser-hints.js';
import type { Stage } from '../../../../../query/logql/ast.js';
import { randomInt, seededRandom } from '../../../../helpers/random.js';

const NAMES = ['status', 'level', 'duration', 'a_b', '_1x', 'msg', 'user_name'];
const PIECES = ['status', 'level', 'dur', 'ation', 'a', 'b', '_', '-', '.', '1', 'x', 'é', ' ', 'msg', 'user', 'name', '"', '=', '\\', '{', '}'];

function randomKey(rand: () => number): string {
  let k = '';
  const n = randomInt(rand, 1, 4);
  for (let i = 0; i < n; i++) k += PIECES[randomInt(rand, 0, PIECES.length - 1)];
  return k;
}

function randomLogfmt(rand: () => number): string {
  const parts: string[] = [];
  const n = randomInt(rand, 0, 6);
  for (let i = 0; i < n; i++) {
    const key = randomInt(rand, 0, 2) === 0 ? (NAMES[randomInt(rand, 0, NAMES.length - 1)] as string) : randomKey(rand);
    const value = ['', '5', '200', 'x y', '1s', 'é'][randomInt(rand, 0, 5)] as string;
    parts.push(randomInt(rand, 0, 3) === 0 ? key : `${key}=${value.includes(' ') ? JSON.stringify(value) : value}`);
  }
  return parts.join(' ');
}

function randomJson(rand: () => number): string {
  if (randomInt(rand, 0, 5) === 0) return randomLogfmt(rand);
  const members: string[] = [];
  const n = randomInt(rand, 0, 5);
  for (let i = 0; i < n; i++) {
    const key = randomInt(rand, 0, 1) === 0 ? (NAMES[randomInt(rand, 0, NAMES.length - 1)] as string) : randomKey(rand);
    const value = ['500', '"x"', 'true', 'null', '[1]', '{"b":1}', '"\\u0041"'][randomInt(rand, 0, 6)] as string;
    members.push(`${JSON.stringify(key)}:${value}`);
  }
  const line = `{${members.join(',')}}`;
  return randomInt(rand, 0, 9) === 0 ? line.slice(0, randomInt(rand, 0, line.length)) : line;
}

function hintsFor(required: readonly string[]) {
  return parserHints([], [], required, false, false, '');
}

test('requiredKeyName: a name only when the key sanitises to it, null only when it sanitises to none', () => {
  const rand = seededRandom(7);
  for (let n = 0; n < 20_000; n++) {
    const key = randomKey(rand);
    const names = NAMES.filter(() => rand() < 0.5);
    const got = requiredKeyName(Buffer.from(key), 0, Buffer.byteLength(key), keyNames(names));
    const sanitized = sanitizeLabelKey(key, true);
    if (typeof got === 'string') assert.equal(sanitized, got, key);
    else if (got === null) assert.ok(!names.includes(sanitized), key);
    else assert.ok(/[^\x21-\x7e]/.test(key), `undefined only for keys outside printable ASCII: ${JSON.stringify(key)}`);
  }
});

test('hinted | logfmt gives each needed label the value the unhinted parser gives it', () => {
  const rand = seededRandom(11);
  for (let n = 0; n < 20_000; n++) {
    const line = randomLogfmt(rand);
    const required = NAMES.filter(() => rand() < 0.4);
    if (required.length === 0) continue;
    const plain = new LabelsBuilder([{ name: 'app', value: 'x' }]);
    parseLogfmtLine(Buffer.from(line), plain, false, false);
    const hinted = new LabelsBuilder([{ name: 'app', value: 'x' }], hintsFor(required));
    parseLogfmtLine(Buffer.from(line), hinted, false, false);
    for (const r of required) assert.equal(hinted.get(r), plain.get(r), `${r} of ${JSON.stringify(line)}`);
  }
});

test('hinted | json gives each needed label the value the unhinted parser gives it', () => {
  const rand = seededRandom(13);
  for (let n = 0; n < 20_000; n++) {
    const line = randomJson(rand);
    const required = NAMES.filter(() => rand() < 0.4);
    if (required.length === 0) continue;
    const plain = new LabelsBuilder([{ name: 'app', value: 'x' }]);
    parseJsonLine(line, plain, Buffer.from(line));
    const hinted = new LabelsBuilder([{ name: 'app', value: 'x' }], hintsFor(required));
    parseJsonLine('', hinted, Buffer.from(line));
    for (const r of required) assert.equal(hinted.get(r), plain.get(r), `${r} of ${line}`);
  }
});

test('presence pre-check: a line it drops never gets the filtered label from the parser', () => {
  const rand = seededRandom(17);
  for (const parser of ['json', 'logfmt'] as const) {
    for (const label of ['status', 'level', 'duration']) {
      const stages: Stage[] = [
        parser === 'json' ? { kind: 'json', extractions: [] } : { kind: 'logfmt', strict: false, keepEmpty: false, extractions: [] },
        { kind: 'labelFilter', filter: { kind: 'number', name: label, op: '>', value: 1 } },
      ];
      const check = presenceCheck(stages);
      assert.ok(check !== null);
      for (let n = 0; n < 5_000; n++) {
        const line = parser === 'json' ? randomJson(rand) : randomLogfmt(rand);
        // a fresh gate each time: the check itself, before a stream may turn it off
        if (new PresenceGate(check, []).mayHave(Buffer.from(line), [])) continue;
        const lbs = new LabelsBuilder([]);
        if (parser === 'json') parseJsonLine(line, lbs, Buffer.from(line));
        else parseLogfmtLine(Buffer.from(line), lbs, false, true);
        assert.equal(lbs.get(label), undefined, `${parser} ${label}: ${line}`);
      }
    }
  }
});

test('presence pre-check over a run: selectRun keeps exactly the lines the per-line check keeps', () => {
  const rand = seededRandom(19);
  const sms = [[], [{ name: 'detected_level', value: 'info' }], [{ name: 'status', value: '5' }], [{ name: 'status_extracted', value: '5' }]];
  for (let n = 0; n < 300; n++) {
    const stages: Stage[] = [
      { kind: 'logfmt', strict: false, keepEmpty: false, extractions: [] },
      { kind: 'labelFilter', filter: { kind: 'number', name: 'status', op: '>', value: 1 } },
    ];
    const check = presenceCheck(stages);
    assert.ok(check !== null);
    const lines = Array.from({ length: randomInt(rand, 0, 40) }, () => Buffer.from(randomLogfmt(rand)));
    const lineSm = lines.map(() => sms[randomInt(rand, 0, sms.length - 1)] as { name: string; value: string }[]);
    const bounds = [0];
    for (const l of lines) bounds.push((bounds[bounds.length - 1] as number) + l.length);
    const from = randomInt(rand, 0, lines.length);
    const to = randomInt(rand, from, lines.length);
    const withSm = randomInt(rand, 0, 1) === 1;
    const got = new PresenceGate(check, []).selectRun(Buffer.concat(lines), bounds, from, to, withSm ? (i) => lineSm[i] ?? [] : null);
    const want: number[] = [];
    for (let i = from; i < to; i++) if (mayHaveLabel(check, lines[i] as Buffer, withSm ? (lineSm[i] ?? []) : [])) want.push(i);
    assert.deepEqual([...(got ?? [])], want);
  }
});
